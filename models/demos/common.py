"""What the demo runners share: the epoch callback type, language-model steps per epoch and the iris/digits
classification split."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from models import data as D

EpochCallback = Callable[[dict[str, Any]], None]
LM_STEPS_PER_EPOCH = 50


def load_classification(dataset: str, rng: np.random.Generator, *, flat: bool = True) -> D.Split:
    """iris (standardised) or digits (pixels in [0, 1]) split 70/15/15, stratified."""
    x, y = D.load_iris() if dataset == "iris" else D.load_digits()
    if flat:
        x = x.reshape(len(x), -1)
    split = D.stratified_split(x, y, rng=rng)
    if dataset == "iris":
        st = D.Standardizer().fit(split.x_train)
        split = D.Split(
            st.transform(split.x_train),
            split.y_train,
            st.transform(split.x_val),
            split.y_val,
            st.transform(split.x_test),
            split.y_test,
        )
    return split
