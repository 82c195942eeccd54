"""``demo(model, dataset)``: train a named model on a named dataset and return a JSON-ready history.

This is the one entry point used by the tutor's ``model_lab`` tool, the ``quant-tutor train`` command and the
Model lab page. Each demo is small enough to run in seconds to a minute on a laptop CPU.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from models.demos.common import EpochCallback
from models.demos.runners import RUNNERS
from models.errors import UnknownDatasetError, UnknownModelError

#: model name -> (datasets it accepts, default epochs, one-line description)
DEMOS: dict[str, tuple[tuple[str, ...], int, str]] = {
    "linear": (("iris",), 50, "linear regression of petal length on the other iris measurements"),
    "logistic": (("iris", "digits"), 30, "logistic (softmax) regression with L2"),
    "mlp": (("iris", "digits"), 20, "multi-layer perceptron (128 ReLU units), Adam"),
    "cnn": (("digits",), 12, "LeNet-style convolutional network"),
    "rnn": (("course",), 8, "character-level Elman RNN language model"),
    "lstm": (("course",), 8, "character-level LSTM language model"),
    "gru": (("course",), 8, "character-level GRU language model"),
    "gpt": (("course",), 20, "character-level mini-GPT (2 blocks, 4 heads)"),
    "word2vec": (("course",), 5, "skip-gram with negative sampling on the course words"),
    "autoencoder": (("digits",), 20, "autoencoder with an 8-dimensional code"),
    "vae": (("digits",), 20, "variational autoencoder with a 2-dimensional latent space"),
    "seq2seq": (("reverse",), 8, "GRU encoder–decoder with Bahdanau attention that reverses digit sequences"),
}
DATASETS = ("iris", "digits", "course", "reverse")


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Small matrices train faster on one BLAS thread (no thread start-up, no contention)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
        yield
        return
    with threadpool_limits(limits=1):
        yield


def demo(
    model: str,
    dataset: str,
    epochs: int | None = None,
    *,
    seed: int = 0,
    course_dir: str | Path | None = None,
    on_epoch: EpochCallback | None = None,
) -> dict[str, Any]:
    """Train ``model`` on ``dataset`` and return its history.

    Parameters
    ----------
    model : str
        One of ``DEMOS``.
    dataset : {"iris", "digits", "course", "reverse"}
        Must be one the model accepts (``DEMOS[model][0]``). ``"reverse"`` is synthetic: random digit
        sequences and their reversal, drawn from the seeded ``rng``.
    epochs : int, optional
        Passes over the data; for language models, rounds of 50 optimisation steps. Defaults per model.
    seed : int
        Seeds every random draw (split, initialisation, batches, sampling).
    course_dir : path, optional
        Folder of Markdown lessons for ``"course"``; the shipped French text is used when it is too small.
    on_epoch : callable, optional
        Called with each history record as soon as it exists (live loss curves).

    Returns
    -------
    dict
        ``{"model", "dataset", "epochs", "history": [{"epoch", "loss", "val_loss"?, "accuracy"?}],
        "test_accuracy"?, "samples"?, "seconds", "description"}``.
    """
    if model not in DEMOS:
        raise UnknownModelError(f"unknown model {model!r}; choose one of: {', '.join(DEMOS)}")
    accepted, default_epochs, description = DEMOS[model]
    if dataset not in accepted:
        raise UnknownDatasetError(
            f"model {model!r} cannot train on {dataset!r}; valid datasets for it: "
            f"{', '.join(accepted)} (all datasets: {', '.join(DATASETS)})"
        )
    epochs = default_epochs if epochs is None else int(epochs)
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    with _one_blas_thread():
        result = RUNNERS[model](dataset, epochs, rng, course_dir, on_epoch)
    return {
        "model": model,
        "dataset": dataset,
        "epochs": epochs,
        "description": description,
        **result,
        "seconds": round(time.perf_counter() - start, 3),
    }
