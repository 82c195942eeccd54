r"""Sequence-to-sequence encoder–decoder with additive (Bahdanau) and multiplicative (Luong) attention.

Sutskever, Vinyals & Le (2014) encode a source sequence into one vector and decode the target from it.
Bahdanau, Cho & Bengio, "Neural Machine Translation by Jointly Learning to Align and Translate" (ICLR 2015),
let each decoder step look back at every encoder state through an additive score computed from the
*previous* decoder state. Luong, Pham & Manning, "Effective Approaches to Attention-based Neural Machine
Translation" (EMNLP 2015), attend *after* the recurrent step with a dot, bilinear ("general") or
concatenation score, and feed the attentional vector back into the next step ("input feeding").

The attention scores (additive, dot, general, concat) and their formulas are in :mod:`models.seq2seq_attention`.

Training uses teacher forcing (the decoder reads the true previous token, or its own guess with
probability ``1 - teacher_forcing``, Bengio et al., 2015); inference decodes greedily or by beam search.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np

from models import losses
from models.engine import Tensor, no_grad
from models.errors import ShapeError
from models.functional import concat, stack
from models.nn import Embedding, Linear, Module
from models.optim import Adam, clip_grad_norm
from models.rnn import CELLS, RNN, State
from models.seq2seq_attention import AttentionName, make_attention

log = logging.getLogger(__name__)
CellName = Literal["gru", "lstm"]


@dataclass(frozen=True)
class Seq2SeqConfig:
    """Hyper-parameters of :class:`Seq2Seq`."""

    src_vocab: int  # source vocabulary size, special tokens included
    tgt_vocab: int  # target vocabulary size, special tokens included
    embed: int = 32  # embedding width
    hidden: int = 64  # encoder and decoder state size
    attention: AttentionName = "bahdanau"
    cell: CellName = "gru"
    attn_size: int | None = None  # width of the additive scores; defaults to ``hidden``
    pad: int = 0  # padding id, left out of the loss
    bos: int = 1  # start-of-sequence id, the decoder's first input
    eos: int = 2  # end-of-sequence id, ends decoding


class Memory(NamedTuple):
    """What the decoder reads from the encoder: outputs (B, S, H) and their projection for the score."""

    keys: Tensor
    projected: Tensor

    def rows(self, idx: np.ndarray) -> Memory:
        return Memory(self.keys[idx], self.projected[idx])


class DecoderState(NamedTuple):
    """Recurrent state and Luong's attentional vector :math:`\\tilde h_{t-1}` (zeros for Bahdanau)."""

    rnn: State
    feed: Tensor

    def rows(self, idx: np.ndarray) -> DecoderState:
        rnn = tuple(s[idx] for s in self.rnn) if isinstance(self.rnn, tuple) else self.rnn[idx]
        return DecoderState(rnn, self.feed[idx])  # type: ignore[arg-type]


def _hidden(state: State) -> Tensor:
    return state[0] if isinstance(state, tuple) else state


class Seq2Seq(Module):
    r"""GRU/LSTM encoder and attentional decoder.

    Bahdanau step (attend with the previous state, then recur):

    .. math:: c_t = \mathrm{attn}(s_{t-1}, h),\quad s_t = f(s_{t-1}, [E y_{t-1}; c_t]),\quad
        \mathrm{logits}_t = W_o [s_t; c_t; E y_{t-1}] + b_o

    Luong step with input feeding (recur, then attend):

    .. math:: s_t = f(s_{t-1}, [E y_{t-1}; \tilde h_{t-1}]),\quad c_t = \mathrm{attn}(s_t, h),\quad
        \tilde h_t = \tanh(W_c [c_t; s_t]),\quad \mathrm{logits}_t = W_o \tilde h_t + b_o

    The decoder starts from the encoder's last state. (Bahdanau's bidirectional encoder and maxout output
    layer are left out: one direction suffices for the tasks shown here.)
    """

    def __init__(self, config: Seq2SeqConfig, *, rng: np.random.Generator) -> None:
        c = config
        if c.cell not in ("gru", "lstm"):
            raise ValueError(f"unknown cell {c.cell!r}; use 'gru' or 'lstm'")
        self.config = c
        self.luong = c.attention != "bahdanau"
        self.src_embed = Embedding(c.src_vocab, c.embed, rng=rng, scale=0.1)
        self.tgt_embed = Embedding(c.tgt_vocab, c.embed, rng=rng, scale=0.1)
        self.encoder = RNN(c.embed, c.hidden, cell=c.cell, rng=rng)
        self.attention = make_attention(c.attention, c.hidden, c.hidden, c.attn_size or c.hidden, rng=rng)
        self.decoder = CELLS[c.cell](c.embed + c.hidden, c.hidden, rng=rng)
        if self.luong:
            self.combine = Linear(2 * c.hidden, c.hidden, bias=False, rng=rng)  # W_c
            self.out = Linear(c.hidden, c.tgt_vocab, rng=rng)
        else:
            self.out = Linear(2 * c.hidden + c.embed, c.tgt_vocab, rng=rng)
        self.last_weights: np.ndarray | None = None

    def encode(self, src: np.ndarray) -> tuple[Memory, DecoderState]:
        """src (B, S) ids -> encoder memory and the decoder's initial state."""
        src = np.asarray(src, dtype=np.int64)
        if src.ndim != 2:
            raise ShapeError(f"src must be a (batch, length) array of ids, got shape {src.shape}")
        keys, state = self.encoder(self.src_embed(src))  # (B, S, H)
        feed = Tensor(np.zeros((src.shape[0], self.config.hidden), dtype=keys.dtype))
        return Memory(keys, self.attention.project_keys(keys)), DecoderState(state, feed)

    def step(
        self, y_prev: np.ndarray, state: DecoderState, memory: Memory
    ) -> tuple[Tensor, DecoderState, Tensor]:
        """One decoder step: previous ids (B,) -> logits (B, V), new state, attention weights (B, S)."""
        emb = self.tgt_embed(y_prev)  # (B, E)
        if self.luong:
            rnn = self.decoder(concat([emb, state.feed], axis=-1), state.rnn)
            s = _hidden(rnn)  # (B, H)
            context, weights = self.attention(s, memory.keys, projected=memory.projected)
            feed = self.combine(concat([context, s], axis=-1)).tanh()  # (B, H): h~_t
            return self.out(feed), DecoderState(rnn, feed), weights
        context, weights = self.attention(_hidden(state.rnn), memory.keys, projected=memory.projected)
        rnn = self.decoder(concat([emb, context], axis=-1), state.rnn)
        logits = self.out(concat([_hidden(rnn), context, emb], axis=-1))  # (B, V)
        return logits, DecoderState(rnn, state.feed), weights

    def forward(
        self,
        src: np.ndarray,
        tgt_in: np.ndarray,
        *,
        teacher_forcing: float = 1.0,
        rng: np.random.Generator | None = None,
    ) -> Tensor:
        """Logits (B, T, V) for decoder inputs ``tgt_in`` (B, T) = ``[bos, y_1, ..., y_{T-1}]``.

        With ``teacher_forcing`` < 1 each row reads its own previous argmax instead of the true token with
        probability ``1 - teacher_forcing`` (needs ``rng``). Attention weights go to ``last_weights``
        (B, T, S).
        """
        if teacher_forcing < 1.0 and rng is None:
            raise ValueError("teacher_forcing < 1 draws at random; pass rng=np.random.default_rng(seed)")
        tgt_in = np.asarray(tgt_in, dtype=np.int64)
        memory, state = self.encode(src)
        y = tgt_in[:, 0]
        logits: list[Tensor] = []
        weights: list[np.ndarray] = []
        for t in range(tgt_in.shape[1]):
            if t > 0:
                y = tgt_in[:, t]
                if teacher_forcing < 1.0:
                    own = rng.random(len(y)) >= teacher_forcing  # type: ignore[union-attr]
                    y = np.where(own, logits[-1].data.argmax(-1), y)
            out, state, w = self.step(y, state, memory)
            logits.append(out)
            weights.append(w.data)
        self.last_weights = np.stack(weights, axis=1)
        return stack(logits, axis=1)  # (B, T, V)

    def shift_right(self, tgt: np.ndarray) -> np.ndarray:
        """Decoder inputs for targets ``tgt`` (B, T): ``bos`` followed by ``tgt[:, :-1]``."""
        tgt = np.asarray(tgt, dtype=np.int64)
        return np.concatenate([np.full((len(tgt), 1), self.config.bos), tgt[:, :-1]], axis=1)

    def loss(self, src: np.ndarray, tgt: np.ndarray, **kwargs: Any) -> Tensor:
        """Teacher-forced cross-entropy of targets ``tgt`` (B, T) (ending in ``eos``), padding left out."""
        logits = self(src, self.shift_right(tgt), **kwargs)
        return losses.cross_entropy(logits, np.asarray(tgt), ignore_index=self.config.pad)

    def greedy(self, src: np.ndarray, max_len: int) -> np.ndarray:
        """Decode (B, L <= max_len) ids by argmax; a row ends with ``eos``, then ``pad``."""
        c = self.config
        self.eval()
        with no_grad():
            memory, state = self.encode(src)
            y = np.full(len(memory.keys), c.bos)
            out = np.full((len(y), max_len), c.pad)
            done = np.zeros(len(y), dtype=bool)
            for t in range(max_len):
                logits, state, _ = self.step(y, state, memory)
                y = logits.data.argmax(-1)
                out[:, t] = np.where(done, c.pad, y)
                done |= y == c.eos
                if done.all():
                    return out[:, : t + 1]
        return out

    def beam_search(
        self, src: np.ndarray, max_len: int, *, beam_width: int = 3, length_penalty: float = 0.0
    ) -> np.ndarray:
        r"""Most probable output for one source (S,) under a beam of ``beam_width`` hypotheses.

        Hypotheses are ranked by :math:`\sum_t \log p(y_t | y_{<t}, x) / L^\alpha` with
        :math:`\alpha` = ``length_penalty``. A hypothesis that emits ``eos`` is finished and the beam
        narrows by one; with ``beam_width=1`` this is greedy decoding.
        """
        c = self.config
        self.eval()
        with no_grad():
            memory, state = self.encode(np.asarray(src).reshape(1, -1))
            live: list[tuple[float, list[int]]] = [(0.0, [])]
            finished: list[tuple[float, list[int]]] = []
            for _ in range(max_len):
                rows = np.zeros(len(live), dtype=np.int64)
                y = np.array([seq[-1] if seq else c.bos for _, seq in live])
                logits, state, _ = self.step(y, state, memory.rows(rows))
                logp = logits.data - np.logaddexp.reduce(logits.data, axis=-1, keepdims=True)
                total = np.array([s for s, _ in live])[:, None] + logp  # (beams, V)
                best = np.argsort(-total, axis=None, kind="stable")[: beam_width - len(finished)]
                keep: list[int] = []
                nxt: list[tuple[float, list[int]]] = []
                for r, k in zip(*np.unravel_index(best, total.shape), strict=True):
                    hyp = (float(total[r, k]), [*live[r][1], int(k)])
                    (finished if k == c.eos else nxt).append(hyp)
                    if k != c.eos:
                        keep.append(r)
                live = nxt
                if not live:
                    break
                state = state.rows(np.array(keep))
        ranked = finished + live
        best_score = max(ranked, key=lambda h: h[0] / max(len(h[1]), 1) ** length_penalty)
        return np.array(best_score[1], dtype=np.int64)


def reverse_task(
    n: int, *, length: int = 6, n_symbols: int = 10, shift: int = 0, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic task: ``n`` random sequences and their reversal (symbols ``+ shift``, modulo) plus ``eos``.

    Symbols are ids ``3 .. 3 + n_symbols - 1`` (0, 1, 2 are pad, bos, eos). Returns src (n, length) and
    tgt (n, length + 1).
    """
    if length < 1 or n_symbols < 2:
        raise ValueError(f"need length >= 1 and n_symbols >= 2, got {length} and {n_symbols}")
    sym = rng.integers(0, n_symbols, (n, length))
    out = (sym[:, ::-1] + shift) % n_symbols
    tgt = np.concatenate([out + 3, np.full((n, 1), 2)], axis=1)
    return sym + 3, tgt


def token_accuracy(model: Seq2Seq, src: np.ndarray, tgt: np.ndarray) -> tuple[float, float]:
    """Greedy decoding against ``tgt`` (B, T): fraction of right non-pad tokens and of exact sequences."""
    pred = np.full(tgt.shape, model.config.pad)
    out = model.greedy(src, tgt.shape[1])
    pred[:, : out.shape[1]] = out
    real = tgt != model.config.pad
    right = (pred == tgt) | ~real
    return float(right[real].mean()), float(right.all(axis=1).mean())


def train_seq2seq(
    model: Seq2Seq,
    src: np.ndarray,
    tgt: np.ndarray,
    *,
    epochs: int,
    rng: np.random.Generator,
    batch_size: int = 64,
    lr: float = 1e-2,
    clip: float = 1.0,
    teacher_forcing: float = 1.0,
    src_val: np.ndarray | None = None,
    tgt_val: np.ndarray | None = None,
    on_epoch: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Adam on shuffled mini-batches with gradient clipping; one record per epoch.

    Records hold ``epoch``, ``loss`` and, with validation data, ``val_loss``, ``accuracy`` (greedy token
    accuracy) and ``sequence_accuracy``.
    """
    opt = Adam(model.parameters(), lr=lr)
    history: list[dict[str, Any]] = []
    for epoch in range(1, epochs + 1):
        model.train()
        order, total = rng.permutation(len(src)), 0.0
        for start in range(0, len(src), batch_size):
            idx = order[start : start + batch_size]
            opt.zero_grad()
            loss = model.loss(src[idx], tgt[idx], teacher_forcing=teacher_forcing, rng=rng)
            loss.backward()
            clip_grad_norm(opt.params, clip)
            opt.step()
            total += loss.item() * len(idx)
        record: dict[str, Any] = {"epoch": epoch, "loss": total / len(src)}
        if src_val is not None and tgt_val is not None:
            model.eval()
            with no_grad():
                record["val_loss"] = model.loss(src_val, tgt_val).item()
            record["accuracy"], record["sequence_accuracy"] = token_accuracy(model, src_val, tgt_val)
        log.debug("epoch %d: %s", epoch, record)
        history.append(record)
        if on_epoch is not None:
            on_epoch(record)
    return history
