"""Data utilities: loaders for iris, digits and course text; splits, k-fold, standardisation, one-hot,
batches.

iris and digits come from the scikit-learn wheel (no download). The course text is read from the Markdown
files of a folder passed in by the caller; when that folder holds too little text, a short French course
shipped in ``models/data/cours_fr.md`` is used instead, so language models always have something to learn.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.errors import DataError

log = logging.getLogger(__name__)
SHIPPED_TEXT = Path(__file__).parent / "data" / "cours_fr.md"
MIN_COURSE_CHARS = 20_000


@dataclass(frozen=True)
class Split:
    """Train / validation / test arrays."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_iris() -> tuple[np.ndarray, np.ndarray]:
    """Fisher's iris: 150 x 4 features, 3 classes."""
    from sklearn.datasets import load_iris as sk_iris

    data = sk_iris()
    return data.data.astype(float), data.target.astype(np.int64)


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """UCI handwritten digits: 1797 images of 8 x 8 pixels scaled to [0, 1], 10 classes."""
    from sklearn.datasets import load_digits as sk_digits

    data = sk_digits()
    return data.images.astype(float) / 16.0, data.target.astype(np.int64)


def load_course_text(course_dir: str | Path | None = None, *, min_chars: int = MIN_COURSE_CHARS) -> str:
    """Concatenate the Markdown lessons of ``course_dir`` (sorted by name), minus code blocks and links.

    Falls back to the shipped French text when the folder is missing or has fewer than ``min_chars``
    characters of prose.
    """
    text = ""
    if course_dir is not None and Path(course_dir).is_dir():
        parts = [
            p.read_text(encoding="utf-8", errors="replace") for p in sorted(Path(course_dir).rglob("*.md"))
        ]
        text = clean_markdown("\n\n".join(parts))
    if len(text) < min_chars:
        log.info(
            "course folder %s has %d characters (< %d): using the shipped text",
            course_dir,
            len(text),
            min_chars,
        )
        text = clean_markdown(SHIPPED_TEXT.read_text(encoding="utf-8"))
    return text


def clean_markdown(text: str) -> str:
    """Drop fenced code, front matter, tables, images and link targets; keep the French prose."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("|")]
    text = "\n".join(lines)
    text = re.sub(r"[*_`#>]+", "", text)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def stratified_split(
    x: np.ndarray, y: np.ndarray, *, val: float = 0.15, test: float = 0.15, rng: np.random.Generator
) -> Split:
    """Shuffle each class separately and cut it in the same proportions, so every part keeps the class mix."""
    if len(x) != len(y):
        raise DataError(f"x has {len(x)} rows but y has {len(y)}")
    if not (0 <= val < 1 and 0 < test < 1 and val + test < 1):
        raise DataError(f"val={val} and test={test} must be fractions summing to less than 1")
    parts: list[list[np.ndarray]] = [[], [], []]
    for label in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == label))
        n_test, n_val = round(test * idx.size), round(val * idx.size)
        parts[2].append(idx[:n_test])
        parts[1].append(idx[n_test : n_test + n_val])
        parts[0].append(idx[n_test + n_val :])
    tr, va, te = (rng.permutation(np.concatenate(p)) for p in parts)
    return Split(x[tr], y[tr], x[va], y[va], x[te], y[te])


def kfold(n: int, k: int, *, rng: np.random.Generator) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(train_idx, val_idx)`` for each of ``k`` folds of a shuffled ``range(n)``."""
    if not 2 <= k <= n:
        raise DataError(f"k must be between 2 and n={n}, got {k}")
    folds = np.array_split(rng.permutation(n), k)
    for i in range(k):
        yield np.concatenate(folds[:i] + folds[i + 1 :]), folds[i]


class Standardizer:
    r"""Fit :math:`\mu, \sigma` on training data, then map :math:`x \mapsto (x - \mu)/\sigma`."""

    def fit(self, x: np.ndarray) -> Standardizer:
        self.mean = x.mean(axis=0)
        self.std = np.where(x.std(axis=0) > 1e-12, x.std(axis=0), 1.0)  # constant columns stay unscaled
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.std

    def fit_transform(self, x: np.ndarray) -> np.ndarray:
        return self.fit(x).transform(x)


def one_hot(y: np.ndarray, k: int | None = None) -> np.ndarray:
    """Integer labels (n,) to a (n, k) indicator matrix."""
    y = np.asarray(y, dtype=np.int64)
    k = (int(y.max()) + 1 if y.size else 0) if k is None else k
    if y.size and (y.min() < 0 or y.max() >= k):
        raise DataError(f"labels must be integers in [0, {k}); got min {y.min()}, max {y.max()}: pass k=max+1")
    out = np.zeros((y.size, k))
    out[np.arange(y.size), y] = 1.0
    return out


def minibatches(
    x: np.ndarray, y: np.ndarray, batch_size: int, *, rng: np.random.Generator | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(x_batch, y_batch)``, shuffled when ``rng`` is given; the last batch may be smaller."""
    order = rng.permutation(len(x)) if rng is not None else np.arange(len(x))
    for start in range(0, len(x), batch_size):
        idx = order[start : start + batch_size]
        yield x[idx], y[idx]
