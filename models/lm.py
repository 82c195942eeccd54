"""Training helpers for language models (``model(idx, targets) -> (logits, loss)``): batches, loop,
entropy."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from models.engine import Tensor, no_grad
from models.errors import DataError
from models.optim import AdamW, clip_grad_norm, warmup_cosine_lr

log = logging.getLogger(__name__)


class LanguageModel(Protocol):
    def __call__(
        self, idx: np.ndarray, targets: np.ndarray | None = None
    ) -> tuple[Tensor, Tensor | None]: ...
    def parameters(self) -> list[Tensor]: ...
    def train(self, mode: bool = True) -> Any: ...
    def eval(self) -> Any: ...


def get_batch(
    data: np.ndarray, block_size: int, batch_size: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Random windows ``x = data[i : i + T]`` and their next tokens ``y = data[i + 1 : i + T + 1]``."""
    if len(data) <= block_size + 1:
        raise DataError(f"text of {len(data)} tokens is too short for block_size={block_size}")
    starts = rng.integers(0, len(data) - block_size - 1, batch_size)
    x = np.stack([data[s : s + block_size] for s in starts])  # (B, T)
    y = np.stack([data[s + 1 : s + block_size + 1] for s in starts])  # (B, T)
    return x, y


def unigram_entropy(ids: np.ndarray, vocab_size: int | None = None) -> float:
    r"""Entropy in nats of the token frequencies, :math:`-\sum_v p_v \log p_v`: the loss of a model
    without context."""
    counts = np.bincount(ids, minlength=vocab_size or 0).astype(float)
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def estimate_loss(
    model: LanguageModel,
    data: np.ndarray,
    block_size: int,
    *,
    batches: int = 8,
    batch_size: int = 32,
    rng: np.random.Generator,
) -> float:
    model.eval()
    with no_grad():
        total = 0.0
        for _ in range(batches):
            _, loss = model(*get_batch(data, block_size, batch_size, rng))
            total += loss.item() if loss is not None else math.nan
    model.train()
    return total / batches


def train_lm(
    model: LanguageModel,
    train_ids: np.ndarray,
    val_ids: np.ndarray,
    *,
    steps: int,
    block_size: int,
    batch_size: int = 32,
    lr: float = 3e-3,
    weight_decay: float = 0.01,
    eval_every: int = 50,
    rng: np.random.Generator,
    on_eval: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """AdamW with warm-up and cosine decay, gradient clipping at 1; returns a record per evaluation.

    Records: ``{"epoch": step, "loss": mean training loss since the last record, "val_loss": ...}``
    (``epoch`` counts optimisation steps for language models).
    """
    opt = AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    history, running, count = [], 0.0, 0
    eval_rng = np.random.default_rng(int(rng.integers(2**31)))
    model.train()
    for step in range(1, steps + 1):
        opt.lr = warmup_cosine_lr(step - 1, lr, warmup=max(steps // 20, 1), total=steps, min_lr=lr / 10)
        x, y = get_batch(train_ids, block_size, batch_size, rng)
        _, loss = model(x, y)
        opt.zero_grad()
        loss.backward()  # type: ignore[union-attr]
        clip_grad_norm(opt.params, 1.0)
        opt.step()
        running, count = running + loss.item(), count + 1  # type: ignore[union-attr]
        if step % eval_every == 0 or step == steps:
            val = estimate_loss(model, val_ids, block_size, rng=eval_rng)
            record = {"epoch": step, "loss": running / count, "val_loss": val}
            if not math.isfinite(record["loss"]):
                raise DataError("training diverged (loss is not finite); lower the learning rate")
            log.info("step %d: %s", step, record)
            history.append(record)
            running, count = 0.0, 0
            if on_eval is not None:
                on_eval(record)
    return history
