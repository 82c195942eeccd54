"""Recurrent cells: Elman RNN, LSTM (Hochreiter & Schmidhuber, 1997) and GRU (Cho et al., 2014).

Weights follow torch's layout transposed for ``x @ W``: ``weight_ih`` is (input, G*H), ``weight_hh`` is
(H, G*H), with two biases, and the gates are stacked in torch's order (LSTM: i, f, g, o; GRU: r, z, n), so a
torch module can be loaded with ``weight_ih = torch.weight_ih_l0.T``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from models import losses
from models.engine import Tensor, no_grad
from models.functional import stack
from models.nn import Embedding, Linear, Module

State = Tensor | tuple[Tensor, Tensor]


class _Cell(Module):
    gates = 1

    def __init__(self, input_size: int, hidden_size: int, *, rng: np.random.Generator) -> None:
        bound = 1.0 / np.sqrt(hidden_size)
        g = self.gates * hidden_size
        self.hidden_size = hidden_size
        self.weight_ih = Tensor(rng.uniform(-bound, bound, (input_size, g)), requires_grad=True)
        self.weight_hh = Tensor(rng.uniform(-bound, bound, (hidden_size, g)), requires_grad=True)
        self.bias_ih = Tensor(rng.uniform(-bound, bound, g), requires_grad=True)
        self.bias_hh = Tensor(rng.uniform(-bound, bound, g), requires_grad=True)

    def initial_state(self, batch: int, dtype: np.dtype) -> State:
        return Tensor(np.zeros((batch, self.hidden_size), dtype=dtype))


class RNNCell(_Cell):
    r""":math:`h' = \tanh(x W_{ih} + b_{ih} + h W_{hh} + b_{hh})`."""

    def forward(self, x: Tensor, h: Tensor) -> Tensor:
        return (x @ self.weight_ih + self.bias_ih + h @ self.weight_hh + self.bias_hh).tanh()  # (B, H)


class LSTMCell(_Cell):
    r"""Long short-term memory cell.

    .. math::
        i, f, g, o &= \sigma(\cdot), \sigma(\cdot), \tanh(\cdot), \sigma(\cdot) \text{ of } x W_{ih} +
        b_{ih} + h W_{hh} + b_{hh} \\
        c' &= f \odot c + i \odot g, \qquad h' = o \odot \tanh(c')
    """

    gates = 4

    def initial_state(self, batch: int, dtype: np.dtype) -> State:
        zeros = np.zeros((batch, self.hidden_size), dtype=dtype)
        return Tensor(zeros), Tensor(zeros.copy())

    def forward(self, x: Tensor, state: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor]:
        h, c = state
        H = self.hidden_size
        z = x @ self.weight_ih + self.bias_ih + h @ self.weight_hh + self.bias_hh  # (B, 4H)
        i, f = z[:, :H].sigmoid(), z[:, H : 2 * H].sigmoid()
        g, o = z[:, 2 * H : 3 * H].tanh(), z[:, 3 * H :].sigmoid()
        c = f * c + i * g  # (B, H)
        return o * c.tanh(), c


class GRUCell(_Cell):
    r"""Gated recurrent unit.

    .. math::
        r &= \sigma(x W_{ir} + b_{ir} + h W_{hr} + b_{hr}),\quad z = \sigma(x W_{iz} + b_{iz} + h W_{hz}
        + b_{hz}) \\
        n &= \tanh(x W_{in} + b_{in} + r \odot (h W_{hn} + b_{hn})),\quad h' = (1 - z) \odot n + z \odot h
    """

    gates = 3

    def forward(self, x: Tensor, h: Tensor) -> Tensor:
        H = self.hidden_size
        gi = x @ self.weight_ih + self.bias_ih  # (B, 3H)
        gh = h @ self.weight_hh + self.bias_hh  # (B, 3H)
        r = (gi[:, :H] + gh[:, :H]).sigmoid()
        z = (gi[:, H : 2 * H] + gh[:, H : 2 * H]).sigmoid()
        n = (gi[:, 2 * H :] + r * gh[:, 2 * H :]).tanh()
        return (1.0 - z) * n + z * h


CELLS = {"rnn": RNNCell, "lstm": LSTMCell, "gru": GRUCell}


class RNN(Module):
    """Run a cell over a sequence: (B, T, C) -> outputs (B, T, H) and the last state."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        *,
        cell: Literal["rnn", "lstm", "gru"] = "lstm",
        rng: np.random.Generator,
    ) -> None:
        if cell not in CELLS:
            raise ValueError(f"unknown cell {cell!r}; use one of {sorted(CELLS)}")
        self.cell = CELLS[cell](input_size, hidden_size, rng=rng)

    def forward(self, x: Tensor, state: State | None = None) -> tuple[Tensor, State]:
        if state is None:
            state = self.cell.initial_state(x.shape[0], x.dtype)
        outputs = []
        for t in range(x.shape[1]):
            state = self.cell(x[:, t], state)
            outputs.append(state[0] if isinstance(state, tuple) else state)
        return stack(outputs, axis=1), state  # (B, T, H)


class CharRNN(Module):
    """Character language model: embedding -> recurrent layer -> linear head over the vocabulary."""

    def __init__(
        self,
        vocab_size: int,
        *,
        embed: int = 32,
        hidden: int = 128,
        cell: Literal["rnn", "lstm", "gru"] = "lstm",
        rng: np.random.Generator,
    ) -> None:
        self.embed = Embedding(vocab_size, embed, rng=rng, scale=0.1)
        self.rnn = RNN(embed, hidden, cell=cell, rng=rng)
        self.head = Linear(hidden, vocab_size, rng=rng)

    def forward(self, idx: np.ndarray, targets: np.ndarray | None = None) -> tuple[Tensor, Tensor | None]:
        out, _ = self.rnn(self.embed(idx))  # (B, T, H)
        logits = self.head(out)  # (B, T, V)
        return logits, None if targets is None else losses.cross_entropy(logits, targets)

    def generate(
        self, idx: np.ndarray, max_new_tokens: int, *, temperature: float = 1.0, rng: np.random.Generator
    ) -> np.ndarray:
        """Sample one token at a time, carrying the hidden state."""
        self.eval()
        with no_grad():
            out, state = self.rnn(self.embed(idx))
            logits = self.head(out[:, -1])
            ids = [idx]
            for _ in range(max_new_tokens):
                p = (logits * (1.0 / temperature)).softmax(-1).data
                nxt = np.array([[rng.choice(p.shape[-1], p=row / row.sum())] for row in p])
                ids.append(nxt)
                h = self.embed(nxt[:, 0])
                state = self.rnn.cell(h, state)
                logits = self.head(state[0] if isinstance(state, tuple) else state)
        return np.concatenate(ids, axis=1)
