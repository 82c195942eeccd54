"""Neural-network building blocks on top of :mod:`models.engine` (micrograd's ``nn.py``, grown up).

A :class:`Module` finds its parameters by walking its attributes (tensors with ``requires_grad``, sub-modules,
and lists of them), so a model is plain Python: assign layers in ``__init__``, compose them in ``forward``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from models import functional as F
from models.engine import Tensor
from models.errors import ShapeError


class Module:
    """Base class: parameters, ``zero_grad``, ``train``/``eval`` and ``state_dict`` save/load."""

    training: bool = True

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def _children(self) -> Iterator[tuple[str, Any]]:
        for name, value in vars(self).items():
            if isinstance(value, list | tuple):
                for i, item in enumerate(value):
                    yield f"{name}.{i}", item
            else:
                yield name, value

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """``(dotted name, tensor)`` for every trainable tensor, in a stable order."""
        for name, value in self._children():
            if isinstance(value, Tensor) and value.requires_grad:
                yield prefix + name, value
            elif isinstance(value, Module):
                yield from value.named_parameters(prefix + name + ".")

    def parameters(self) -> list[Tensor]:
        return [p for _, p in self.named_parameters()]

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, np.ndarray]]:
        """Non-trainable state saved with the model (BatchNorm's running statistics)."""
        for name in getattr(self, "_buffers", ()):
            yield prefix + name, getattr(self, name)
        for name, value in self._children():
            if isinstance(value, Module):
                yield from value.named_buffers(prefix + name + ".")

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = None

    def train(self, mode: bool = True) -> Module:
        self.training = mode
        for _, value in self._children():
            if isinstance(value, Module):
                value.train(mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def num_parameters(self) -> int:
        return sum(p.data.size for p in self.parameters())

    def astype(self, dtype: Any) -> Module:
        """Cast every parameter to ``dtype`` (float32 trains about twice as fast as float64)."""
        for p in self.parameters():
            p.data = p.data.astype(dtype)
        return self

    def state_dict(self) -> dict[str, np.ndarray]:
        state = {name: p.data.copy() for name, p in self.named_parameters()}
        state.update({name: np.array(b, copy=True) for name, b in self.named_buffers()})
        return state

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        own = dict(self.named_parameters())
        buffers = dict(self.named_buffers())
        missing = (set(own) | set(buffers)) - set(state)
        if missing:
            raise KeyError(f"state_dict lacks {sorted(missing)}; was it saved from the same architecture?")
        for name, p in own.items():
            if p.shape != state[name].shape:
                raise ShapeError(f"{name}: saved shape {state[name].shape} != model shape {p.shape}")
            p.data = np.array(state[name], dtype=p.dtype)
        for name in buffers:
            *path, attr = name.split(".")
            owner: Any = self
            for part in path:
                owner = owner[int(part)] if part.isdigit() else getattr(owner, part)
            getattr(owner, attr)[...] = state[name]

    def save(self, path: str | Path) -> None:
        """Write ``state_dict`` to a ``.npz`` file."""
        np.savez(Path(path), **self.state_dict())  # type: ignore[arg-type]

    def load(self, path: str | Path) -> None:
        with np.load(Path(path)) as data:
            self.load_state_dict({k: data[k] for k in data.files})


class Linear(Module):
    r"""Affine map :math:`y = x W + b` with ``W`` of shape (in, out).

    Weights are drawn from :math:`\mathcal U(-1/\sqrt{n_{in}}, 1/\sqrt{n_{in}})` as torch does.
    """

    def __init__(self, n_in: int, n_out: int, *, bias: bool = True, rng: np.random.Generator) -> None:
        bound = 1.0 / math.sqrt(n_in)
        self.weight = Tensor(rng.uniform(-bound, bound, (n_in, n_out)), requires_grad=True)
        self.bias = Tensor(rng.uniform(-bound, bound, n_out), requires_grad=True) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        y = x @ self.weight  # (..., out)
        return y + self.bias if self.bias is not None else y


class Embedding(Module):
    """Lookup table of ``n`` vectors of size ``dim`` (initialised N(0, 1) as in torch)."""

    def __init__(self, n: int, dim: int, *, rng: np.random.Generator, scale: float = 1.0) -> None:
        self.weight = Tensor(rng.standard_normal((n, dim)) * scale, requires_grad=True)

    def forward(self, ids: np.ndarray) -> Tensor:
        return F.embedding(self.weight, ids)  # (..., dim)


class LayerNorm(Module):
    """Normalise the last axis to zero mean and unit variance, then scale and shift (see ``F.layer_norm``)."""

    def __init__(self, dim: int, eps: float = 1e-5) -> None:
        self.weight = Tensor(np.ones(dim), requires_grad=True)
        self.bias = Tensor(np.zeros(dim), requires_grad=True)
        self.eps = eps

    def forward(self, x: Tensor) -> Tensor:
        return F.layer_norm(x, self.weight, self.bias, self.eps)


class BatchNorm(Module):
    r"""Batch normalisation (Ioffe & Szegedy, 2015) over axis 0 (and the spatial axes of 4-D input).

    In training :math:`y = \gamma (x - \mu_B)/\sqrt{\sigma_B^2 + \epsilon} + \beta` and the running statistics
    move by ``momentum``; in evaluation the running statistics replace the batch ones. The running variance
    is unbiased (n-1), as in torch.
    """

    _buffers = ("running_mean", "running_var")

    def __init__(self, dim: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        self.weight = Tensor(np.ones(dim), requires_grad=True)
        self.bias = Tensor(np.zeros(dim), requires_grad=True)
        self.running_mean = np.zeros(dim)
        self.running_var = np.ones(dim)
        self.eps, self.momentum = eps, momentum

    def forward(self, x: Tensor) -> Tensor:
        axes = (0,) if x.ndim == 2 else (0, 2, 3)
        shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)
        if self.training:
            mean = x.mean(axis=axes, keepdims=True)
            var = x.var(axis=axes, keepdims=True)
            n = x.data.size // x.shape[1]
            m = self.momentum
            self.running_mean[...] = (1 - m) * self.running_mean + m * mean.data.reshape(-1)
            self.running_var[...] = (1 - m) * self.running_var + m * var.data.reshape(-1) * n / max(n - 1, 1)
            xhat = (x - mean) / (var + self.eps).sqrt()
        else:
            xhat = (x - self.running_mean.reshape(shape)) / np.sqrt(
                self.running_var.reshape(shape) + self.eps
            )
        return xhat * self.weight.reshape(*shape) + self.bias.reshape(*shape)


class Dropout(Module):
    """Inverted dropout with probability ``p``; the identity in ``eval()`` mode."""

    def __init__(self, p: float, *, rng: np.random.Generator) -> None:
        self.p, self.rng = p, rng

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, self.rng, training=self.training)


class Activation(Module):
    """Wrap a Tensor method (``"relu"``, ``"tanh"``, ``"sigmoid"``, ``"gelu"``) as a layer."""

    def __init__(self, name: str) -> None:
        if name not in ("relu", "tanh", "sigmoid", "gelu"):
            raise ValueError(f"unknown activation {name!r}; use relu, tanh, sigmoid or gelu")
        self.name = name

    def forward(self, x: Tensor) -> Tensor:
        return getattr(x, self.name)()


class Flatten(Module):
    """(N, ...) -> (N, prod(...))."""

    def forward(self, x: Tensor) -> Tensor:
        return x.reshape(x.shape[0], -1)


class Sequential(Module):
    """Apply layers one after the other."""

    def __init__(self, *layers: Module) -> None:
        self.layers = list(layers)

    def forward(self, x: Tensor) -> Tensor:
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, i: int) -> Module:
        return self.layers[i]
