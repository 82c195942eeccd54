"""A generic mini-batch training loop for any model with ``loss(x, y)`` and ``predict(x)``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from models.data import minibatches
from models.engine import Tensor, no_grad
from models.optim import Optimizer, clip_grad_norm, cosine_lr

log = logging.getLogger(__name__)
EpochCallback = Callable[[dict[str, Any]], None]


class Trainable(Protocol):
    def loss(self, x: Tensor, y: np.ndarray) -> Tensor: ...
    def predict(self, x: np.ndarray) -> np.ndarray: ...
    def parameters(self) -> list[Tensor]: ...
    def train(self, mode: bool = True) -> Any: ...
    def eval(self) -> Any: ...


def accuracy(model: Trainable, x: np.ndarray, y: np.ndarray) -> float:
    """Fraction of rows whose predicted class equals the label."""
    model.eval()
    with no_grad():
        return float((model.predict(x) == y).mean())


def evaluate_loss(model: Trainable, x: np.ndarray, y: np.ndarray, batch_size: int = 512) -> float:
    """Mean loss over ``x`` in evaluation mode, without building a graph."""
    model.eval()
    total = 0.0
    with no_grad():
        for xb, yb in minibatches(x, y, batch_size):
            total += model.loss(Tensor(xb), yb).item() * len(xb)
    return total / len(x)


def fit(
    model: Trainable,
    x: np.ndarray,
    y: np.ndarray,
    *,
    optimizer: Optimizer,
    epochs: int,
    batch_size: int,
    rng: np.random.Generator,
    x_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    classify: bool = True,
    clip: float | None = None,
    cosine: bool = False,
    on_epoch: EpochCallback | None = None,
) -> list[dict[str, Any]]:
    """Train for ``epochs`` passes over shuffled mini-batches; returns one record per epoch.

    Each record has ``epoch``, ``loss`` (mean training loss over the epoch) and, when validation data is
    given, ``val_loss``; classifiers also get ``accuracy`` (on the validation set if given, else training).
    ``cosine=True`` anneals the learning rate to zero over the epochs (stabler final weights).
    ``on_epoch`` is called with each record as soon as it exists (live plots).
    """
    history, base_lr = [], optimizer.lr
    for epoch in range(1, epochs + 1):
        if cosine:
            optimizer.lr = cosine_lr(epoch - 1, base_lr, total=epochs)
        model.train()
        total = 0.0
        for xb, yb in minibatches(x, y, batch_size, rng=rng):
            optimizer.zero_grad()
            loss = model.loss(Tensor(xb), yb)
            loss.backward()
            if clip is not None:
                clip_grad_norm(optimizer.params, clip)
            optimizer.step()
            total += loss.item() * len(xb)
        record: dict[str, Any] = {"epoch": epoch, "loss": total / len(x)}
        if x_val is not None and y_val is not None:
            record["val_loss"] = evaluate_loss(model, x_val, y_val)
        if classify:
            ex, ey = (x_val, y_val) if x_val is not None and y_val is not None else (x, y)
            record["accuracy"] = accuracy(model, ex, ey)
        log.debug("epoch %d: %s", epoch, record)
        history.append(record)
        if on_epoch is not None:
            on_epoch(record)
    return history
