"""word2vec (Mikolov et al., 2013): skip-gram and CBOW trained with negative sampling.

Skip-gram with negative sampling maximises, for each (centre c, context o) pair and k noise words
:math:`n_i \\sim P(w)^{3/4}`, :math:`\\log\\sigma(u_o^\\top v_c) + \\sum_i \\log\\sigma(-u_{n_i}^\\top v_c)`.
CBOW replaces :math:`v_c` by the mean of the context vectors and predicts the centre word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from models.engine import Tensor
from models.errors import DataError
from models.nn import Embedding, Module
from models.optim import Adam


class Word2Vec(Module):
    """Input vectors ``w_in`` (the embeddings) and output vectors ``w_out``, both (V, D)."""

    def __init__(
        self,
        vocab_size: int,
        dim: int = 32,
        *,
        mode: Literal["skipgram", "cbow"] = "skipgram",
        rng: np.random.Generator,
    ) -> None:
        if mode not in ("skipgram", "cbow"):
            raise ValueError(f"mode must be 'skipgram' or 'cbow', got {mode!r}")
        self.mode = mode
        self.w_in = Embedding(vocab_size, dim, rng=rng, scale=0.5 / dim)
        self.w_out = Embedding(vocab_size, dim, rng=rng, scale=0.5 / dim)

    def loss(self, centre: np.ndarray, context: np.ndarray, negatives: np.ndarray) -> Tensor:
        """Negative-sampling loss. Skip-gram: centre (B,), context (B,); CBOW: context (B, 2w), centre (B,).

        ``negatives`` is (B, k).
        """
        if self.mode == "skipgram":
            v = self.w_in(centre)  # (B, D)
            target = context
        else:
            v = self.w_in(context).mean(axis=1)  # (B, D): mean of the context vectors
            target = centre
        pos = (v * self.w_out(target)).sum(axis=-1)  # (B,)
        neg = (self.w_out(negatives) @ v.reshape(v.shape[0], -1, 1)).reshape(*negatives.shape)  # (B, k)
        log_sig = lambda z: -((-z).exp() + 1.0).log()  # noqa: E731 - log sigma(z), fine for moderate z
        return -(log_sig(pos).mean() + log_sig(-neg).sum(axis=-1).mean())

    def vectors(self) -> np.ndarray:
        return self.w_in.weight.data

    def most_similar(self, word_id: int, k: int = 5) -> list[tuple[int, float]]:
        """The ``k`` nearest ids by cosine similarity (the word itself excluded)."""
        v = self.vectors()
        unit = v / np.linalg.norm(v, axis=1, keepdims=True)
        sims = unit @ unit[word_id]
        sims[word_id] = -np.inf
        best = np.argsort(-sims)[:k]
        return [(int(i), float(sims[i])) for i in best]


def training_pairs(ids: np.ndarray, window: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Skip-gram: every (centre, neighbour) within ``window``. CBOW: (centre, its 2*window neighbours)."""
    n = len(ids)
    if n <= 2 * window:
        raise DataError(f"corpus of {n} tokens is too short for window={window}")
    offsets = [o for o in range(-window, window + 1) if o]
    centres = np.arange(window, n - window)
    if mode == "cbow":
        return ids[centres], np.stack([ids[centres + o] for o in offsets], axis=1)
    return np.repeat(ids[centres], len(offsets)), np.stack(
        [ids[centres + o] for o in offsets], axis=1
    ).ravel()


def train_word2vec(
    sentences: Sequence[np.ndarray],
    vocab_size: int,
    *,
    dim: int = 32,
    window: int = 2,
    negatives: int = 5,
    epochs: int = 5,
    batch_size: int = 256,
    lr: float = 0.01,
    mode: Literal["skipgram", "cbow"] = "skipgram",
    rng: np.random.Generator,
    on_epoch: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[Word2Vec, list[dict[str, Any]]]:
    """Train on sentences of token ids (windows do not cross sentences); noise from unigram^0.75."""
    pairs = [training_pairs(s, window, mode) for s in sentences if len(s) > 2 * window]
    if not pairs:
        raise DataError("no sentence is longer than 2*window tokens")
    centre, context = np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])
    counts = np.bincount(np.concatenate(sentences), minlength=vocab_size).astype(float) ** 0.75
    noise = counts / counts.sum()
    model = Word2Vec(vocab_size, dim, mode=mode, rng=rng)
    opt = Adam(model.parameters(), lr=lr)
    history = []
    for epoch in range(1, epochs + 1):
        order, total = rng.permutation(len(centre)), 0.0
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            neg = rng.choice(vocab_size, size=(idx.size, negatives), p=noise)
            opt.zero_grad()
            loss = model.loss(centre[idx], context[idx], neg)
            loss.backward()
            opt.step()
            total += loss.item() * idx.size
        history.append({"epoch": epoch, "loss": total / len(order)})
        if on_epoch is not None:
            on_epoch(history[-1])
    return model, history
