"""A mini-GPT: decoder-only Transformer language model (Radford et al., 2019), after Karpathy's nanoGPT.

Token and learned position embeddings, ``n_layer`` pre-LN causal blocks, a final LayerNorm and a linear head.
``generate`` samples with temperature, top-k (Fan et al., 2018) or nucleus/top-p (Holtzman et al., 2020)
filtering, or decodes greedily; ``beam_search`` keeps the ``beam_width`` most probable continuations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models import losses
from models.engine import Tensor, no_grad
from models.errors import ShapeError
from models.nn import Embedding, LayerNorm, Linear, Module
from models.transformer import Block


@dataclass
class GPTConfig:
    """Hyper-parameters of :class:`GPT`."""

    block_size: int = 64  # longest context, in tokens
    vocab_size: int = 96  # number of distinct tokens
    n_layer: int = 2  # Transformer blocks
    n_head: int = 4  # attention heads per block
    n_embd: int = 64  # width of the residual stream
    dropout: float = 0.0  # dropout probability during training
    dtype: str = "float32"  # float32 trains about twice as fast; float64 for exact comparisons


class GPT(Module):
    def __init__(self, config: GPTConfig, *, rng: np.random.Generator) -> None:
        c = config
        self.config = c
        self.wte = Embedding(c.vocab_size, c.n_embd, rng=rng, scale=0.02)
        self.wpe = Embedding(c.block_size, c.n_embd, rng=rng, scale=0.02)
        self.blocks = [
            Block(c.n_embd, c.n_head, causal=True, dropout_p=c.dropout, rng=rng) for _ in range(c.n_layer)
        ]
        self.ln_f = LayerNorm(c.n_embd)
        self.lm_head = Linear(c.n_embd, c.vocab_size, bias=False, rng=rng)
        self.astype(np.dtype(c.dtype))

    def forward(self, idx: np.ndarray, targets: np.ndarray | None = None) -> tuple[Tensor, Tensor | None]:
        """idx (B, T) token ids -> logits (B, T, V), and the cross-entropy loss when ``targets`` are given."""
        idx = np.asarray(idx, dtype=np.int64)
        b, t = idx.shape
        if t > self.config.block_size:
            raise ShapeError(f"sequence of length {t} exceeds block_size={self.config.block_size}; crop it")
        x = self.wte(idx) + self.wpe(np.arange(t))  # (B, T, C)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))  # (B, T, V)
        return logits, None if targets is None else losses.cross_entropy(logits, targets)

    def _next_logits(self, idx: np.ndarray) -> np.ndarray:
        logits, _ = self(idx[:, -self.config.block_size :])
        return logits.data[:, -1].astype(np.float64)  # (B, V)

    def generate(
        self,
        idx: np.ndarray,
        max_new_tokens: int,
        *,
        temperature: float = 1.0,
        top_k: int | None = None,
        top_p: float | None = None,
        greedy: bool = False,
        rng: np.random.Generator | None = None,
    ) -> np.ndarray:
        """Extend ``idx`` (B, T) by ``max_new_tokens`` tokens, one at a time; returns (B, T + new)."""
        if not greedy and rng is None:
            raise ValueError("sampling needs rng=np.random.default_rng(seed); or pass greedy=True")
        self.eval()
        idx = np.array(idx, dtype=np.int64, ndmin=2)
        with no_grad():
            for _ in range(max_new_tokens):
                logits = self._next_logits(idx)
                if greedy:
                    nxt = logits.argmax(-1)
                else:
                    probs = filter_probs(logits / max(temperature, 1e-8), top_k=top_k, top_p=top_p)
                    nxt = np.array([rng.choice(p.size, p=p) for p in probs])  # type: ignore[union-attr]
                idx = np.concatenate([idx, nxt[:, None]], axis=1)
        return idx

    def beam_search(self, prompt: np.ndarray, max_new_tokens: int, *, beam_width: int = 3) -> np.ndarray:
        r"""Keep the ``beam_width`` prefixes of highest total log-probability :math:`\sum_t \log
        p(x_t|x_{<t})`."""
        self.eval()
        beams = [(0.0, np.asarray(prompt, dtype=np.int64).ravel())]
        with no_grad():
            for _ in range(max_new_tokens):
                batch = np.stack([seq for _, seq in beams])
                logits = self._next_logits(batch)
                logp = logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)  # (beams, V)
                total = np.array([s for s, _ in beams])[:, None] + logp
                best = np.argsort(total, axis=None)[::-1][:beam_width]
                rows, toks = np.unravel_index(best, total.shape)
                beams = [
                    (float(total[r, k]), np.append(beams[r][1], k)) for r, k in zip(rows, toks, strict=True)
                ]
        return beams[0][1]


def filter_probs(logits: np.ndarray, *, top_k: int | None = None, top_p: float | None = None) -> np.ndarray:
    """Softmax of ``logits`` (B, V) restricted to the ``top_k`` most likely tokens and/or the nucleus of
    mass ``top_p``."""
    logits = logits.copy()
    if top_k is not None:
        kth = np.sort(logits, axis=-1)[:, -min(top_k, logits.shape[-1])][:, None]
        logits[logits < kth] = -np.inf
    probs = np.exp(logits - logits.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    if top_p is not None:
        order = np.argsort(-probs, axis=-1)
        sorted_p = np.take_along_axis(probs, order, axis=-1)
        # keep a token if the mass before it is below top_p (the most likely token is always kept)
        keep_sorted = np.cumsum(sorted_p, axis=-1) - sorted_p < top_p
        keep = np.zeros_like(keep_sorted)
        np.put_along_axis(keep, order, keep_sorted, axis=-1)
        probs = np.where(keep, probs, 0.0)
        probs /= probs.sum(axis=-1, keepdims=True)
    return probs
