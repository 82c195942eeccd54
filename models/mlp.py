"""Multi-layer perceptron trained by back-propagation (Rumelhart, Hinton & Williams, 1986)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from models import losses
from models.engine import Tensor, no_grad
from models.nn import Activation, Dropout, Linear, Module, Sequential


class MLP(Module):
    r"""``sizes = [d_in, h_1, ..., d_out]``: :math:`h_{k+1} = \phi(h_k W_k + b_k)`, logits at the end.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first, number of classes last.
    activation : {"relu", "tanh", "sigmoid", "gelu"}
    dropout : float
        Dropout probability after each hidden activation (0 disables it).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        activation: str = "relu",
        dropout: float = 0.0,
        rng: np.random.Generator,
    ) -> None:
        layers: list[Module] = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            layers.append(Linear(n_in, n_out, rng=rng))
            if i < len(sizes) - 2:
                layers.append(Activation(activation))
                if dropout:
                    layers.append(Dropout(dropout, rng=rng))
        self.net = Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x.reshape(x.shape[0], -1))  # (N, d_out)

    def loss(self, x: Tensor, y: np.ndarray) -> Tensor:
        return losses.cross_entropy(self(x), y)

    def predict(self, x: np.ndarray) -> np.ndarray:
        with no_grad():
            return self(Tensor(x)).data.argmax(axis=-1)
