"""The demos: train a named from-scratch model on a named small dataset and return a JSON-ready history.

``registry`` holds :data:`DEMOS` (model -> datasets, default epochs, description) and :func:`demo`, the one
entry point of the tutor's ``model_lab`` tool, ``quant-tutor train`` and the Model lab page; ``runners`` has
one small runner per model; ``common`` what they share (the classification split, the epoch callback).
Imports only :mod:`models`; kept out of ``models/__init__`` so that ``import models.engine`` stays light.
"""

from __future__ import annotations

from models.demos.common import EpochCallback, load_classification
from models.demos.registry import DATASETS, DEMOS, demo

__all__ = ["DATASETS", "DEMOS", "EpochCallback", "demo", "load_classification"]
