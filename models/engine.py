"""Reverse-mode automatic differentiation on NumPy arrays.

micrograd (Karpathy, 2020) scaled from scalars to arrays, the way tinygrad started: every op computes its
forward value and defines its local backward right beside it. The chain rule is applied by
:meth:`Tensor.backward`, which visits the graph in reverse topological order and calls each node's backward
with the gradient of the output with respect to that node.

Broadcasting: when an operand was broadcast in the forward pass, its gradient is summed back to its own
shape (:func:`unbroadcast`), since every broadcast copy contributed to the output.

Convolution, pooling and dropout live in :mod:`models.functional`; they are built on the same machinery.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from models.errors import ShapeError

_GRAD_ENABLED = True


@contextmanager
def no_grad() -> Iterator[None]:
    """Context manager that disables graph construction (evaluation, sampling)."""
    global _GRAD_ENABLED
    previous, _GRAD_ENABLED = _GRAD_ENABLED, False
    try:
        yield
    finally:
        _GRAD_ENABLED = previous


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes that broadcasting added or stretched, so it has ``shape``."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)


def _as_tensor(x: Any, dtype: np.dtype | None = None) -> Tensor:
    if isinstance(x, Tensor):
        return x
    return Tensor(np.asarray(x, dtype=dtype))


class Tensor:
    """An n-dimensional array that records the operations applied to it.

    Parameters
    ----------
    data : array_like
        Values; integers and booleans are converted to float64, floating dtypes are kept.
    requires_grad : bool
        Whether gradients must flow into this tensor (parameters and inputs under test).

    Examples
    --------
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad.tolist()
    [2.0, 4.0, 6.0]
    """

    __array_priority__ = 100.0  # ndarray (op) Tensor defers to Tensor's reflected operators

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        arr = np.asarray(data)
        if not np.issubdtype(arr.dtype, np.floating):
            arr = arr.astype(np.float64)
        self.data: np.ndarray = arr
        self.grad: np.ndarray | None = None
        self.requires_grad = requires_grad
        self._parents: tuple[Tensor, ...] = ()
        self._backward: Callable[[np.ndarray], None] | None = None
        self.op = ""

    # ------------------------------------------------------------------ plumbing
    @staticmethod
    def _result(data: np.ndarray, parents: Sequence[Tensor], op: str) -> Tensor:
        out = Tensor(data)
        if _GRAD_ENABLED and any(p.requires_grad for p in parents):
            out.requires_grad = True
            out._parents = tuple(parents)
            out.op = op
        return out

    def _accumulate(self, grad: np.ndarray) -> None:
        if not self.requires_grad:
            return
        grad = np.asarray(grad, dtype=self.data.dtype)
        self.grad = grad if self.grad is None else self.grad + grad

    def backward(self, grad: np.ndarray | None = None) -> None:
        """Back-propagate from this tensor; a non-scalar tensor needs ``grad`` of its own shape."""
        if grad is None:
            if self.data.size != 1:
                raise ShapeError(
                    f"backward() on a tensor of shape {self.shape} needs grad=...; call .sum() first"
                )
            grad = np.ones_like(self.data)
        order: list[Tensor] = []
        seen: set[int] = set()
        stack: list[tuple[Tensor, bool]] = [(self, False)]
        while stack:  # iterative DFS: long RNN graphs would overflow recursion
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node._parents if id(p) not in seen)
        self._accumulate(np.asarray(grad))
        for node in reversed(order):
            if node._backward is not None and node.grad is not None:
                node._backward(node.grad)

    def detach(self) -> Tensor:
        """The same values, cut from the graph."""
        return Tensor(self.data)

    # ------------------------------------------------------------------ views
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def T(self) -> Tensor:  # noqa: N802 - numpy's name
        return self.transpose()

    def __len__(self) -> int:
        return len(self.data)

    def item(self) -> float:
        return float(self.data.item())

    def numpy(self) -> np.ndarray:
        return self.data

    def __repr__(self) -> str:
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({self.data!r}{grad})"

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: Any) -> Tensor:
        other = _as_tensor(other, self.dtype)
        out = Tensor._result(self.data + other.data, (self, other), "add")

        def backward(g: np.ndarray) -> None:
            self._accumulate(unbroadcast(g, self.shape))
            other._accumulate(unbroadcast(g, other.shape))

        out._backward = backward
        return out

    def __mul__(self, other: Any) -> Tensor:
        other = _as_tensor(other, self.dtype)
        out = Tensor._result(self.data * other.data, (self, other), "mul")

        def backward(g: np.ndarray) -> None:
            self._accumulate(unbroadcast(g * other.data, self.shape))
            other._accumulate(unbroadcast(g * self.data, other.shape))

        out._backward = backward
        return out

    def __truediv__(self, other: Any) -> Tensor:
        other = _as_tensor(other, self.dtype)
        out = Tensor._result(self.data / other.data, (self, other), "div")

        def backward(g: np.ndarray) -> None:  # d(a/b) = da/b - a db/b^2
            self._accumulate(unbroadcast(g / other.data, self.shape))
            other._accumulate(unbroadcast(-g * self.data / other.data**2, other.shape))

        out._backward = backward
        return out

    def __pow__(self, exponent: float) -> Tensor:
        if isinstance(exponent, Tensor):
            raise TypeError("Tensor ** Tensor is not supported; use (b * x.log()).exp()")
        out = Tensor._result(self.data**exponent, (self,), "pow")

        def backward(g: np.ndarray) -> None:  # d x^p = p x^(p-1)
            self._accumulate(g * exponent * self.data ** (exponent - 1))

        out._backward = backward
        return out

    def __neg__(self) -> Tensor:
        return self * -1.0

    def __sub__(self, other: Any) -> Tensor:
        return self + (-_as_tensor(other, self.dtype))

    def __radd__(self, other: Any) -> Tensor:
        return self + other

    def __rmul__(self, other: Any) -> Tensor:
        return self * other

    def __rsub__(self, other: Any) -> Tensor:
        return _as_tensor(other, self.dtype) - self

    def __rtruediv__(self, other: Any) -> Tensor:
        return _as_tensor(other, self.dtype) / self

    def __matmul__(self, other: Any) -> Tensor:
        other = _as_tensor(other, self.dtype)
        if self.ndim == 1:
            return (self.reshape(1, -1) @ other).reshape(*other.shape[:-2], other.shape[-1])
        if other.ndim == 1:
            return (self @ other.reshape(-1, 1)).reshape(*self.shape[:-1])
        if self.shape[-1] != other.shape[-2]:
            raise ShapeError(f"matmul: inner dimensions differ, {self.shape} @ {other.shape}")
        if self.ndim > 2 and other.ndim == 2:  # (..., n) @ (n, m): one BLAS call on the folded batch
            return (self.reshape(-1, self.shape[-1]) @ other).reshape(*self.shape[:-1], other.shape[-1])
        out = Tensor._result(self.data @ other.data, (self, other), "matmul")

        def backward(g: np.ndarray) -> None:  # C = A B: dA = dC B^T, dB = A^T dC
            self._accumulate(unbroadcast(g @ np.swapaxes(other.data, -1, -2), self.shape))
            other._accumulate(unbroadcast(np.swapaxes(self.data, -1, -2) @ g, other.shape))

        out._backward = backward
        return out

    def __rmatmul__(self, other: Any) -> Tensor:
        return _as_tensor(other, self.dtype) @ self

    # ------------------------------------------------------------------ elementwise functions
    def _unary(self, value: np.ndarray, local_grad: np.ndarray, op: str) -> Tensor:
        out = Tensor._result(value, (self,), op)
        out._backward = lambda g: self._accumulate(g * local_grad)
        return out

    def exp(self) -> Tensor:
        e = np.exp(self.data)
        return self._unary(e, e, "exp")

    def log(self) -> Tensor:
        return self._unary(np.log(self.data), 1.0 / self.data, "log")

    def abs(self) -> Tensor:
        return self._unary(np.abs(self.data), np.sign(self.data), "abs")

    def sqrt(self) -> Tensor:
        return self**0.5

    def tanh(self) -> Tensor:
        t = np.tanh(self.data)
        return self._unary(t, 1.0 - t * t, "tanh")

    def sigmoid(self) -> Tensor:
        # 1/(1+e^-x) written so that neither branch overflows
        s = np.exp(-np.logaddexp(0.0, -self.data))
        return self._unary(s, s * (1.0 - s), "sigmoid")

    def relu(self) -> Tensor:
        mask = self.data > 0
        return self._unary(self.data * mask, mask.astype(self.dtype), "relu")

    def gelu(self, approximate: str = "none") -> Tensor:
        r"""Gaussian error linear unit (Hendrycks & Gimpel, 2016), :math:`x \Phi(x)`.

        ``approximate="tanh"`` uses :math:`\tfrac12 x(1+\tanh(\sqrt{2/\pi}(x+0.044715x^3)))` as GPT-2 does.
        """
        x = self.data
        if approximate == "tanh":
            k = math.sqrt(2.0 / math.pi)
            inner = k * (x + 0.044715 * x**3)
            t = np.tanh(inner)
            value = 0.5 * x * (1.0 + t)
            local = 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * k * (1.0 + 3 * 0.044715 * x**2)
            return self._unary(value, local, "gelu")
        from scipy.special import erf

        cdf = 0.5 * (1.0 + erf(x / math.sqrt(2.0)))
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        return self._unary(x * cdf, cdf + x * pdf, "gelu")

    def softmax(self, axis: int = -1) -> Tensor:
        r""":math:`\mathrm{softmax}(x)_i = e^{x_i - m} / \sum_j e^{x_j - m}` with :math:`m = \max_j x_j`."""
        e = np.exp(self.data - self.data.max(axis=axis, keepdims=True))
        s = e / e.sum(axis=axis, keepdims=True)
        out = Tensor._result(s, (self,), "softmax")
        # Jacobian-vector product: ds = s * (g - <g, s>)
        out._backward = lambda g: self._accumulate(s * (g - (g * s).sum(axis=axis, keepdims=True)))
        return out

    def log_softmax(self, axis: int = -1) -> Tensor:
        r""":math:`x_i - m - \log \sum_j e^{x_j - m}`, stable for large logits."""
        shifted = self.data - self.data.max(axis=axis, keepdims=True)
        value = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        out = Tensor._result(value, (self,), "log_softmax")
        out._backward = lambda g: self._accumulate(g - np.exp(value) * g.sum(axis=axis, keepdims=True))
        return out

    # ------------------------------------------------------------------ reductions
    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        out = Tensor._result(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")

        def backward(g: np.ndarray) -> None:
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axis)
            self._accumulate(np.broadcast_to(g, self.shape))

        out._backward = backward
        return out

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        n = self.data.size if axis is None else int(np.prod([self.shape[a] for a in np.atleast_1d(axis)]))
        return self.sum(axis=axis, keepdims=keepdims) * (1.0 / n)

    def var(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Biased variance (divides by n), as batch and layer normalisation use."""
        centred = self - self.mean(axis=axis, keepdims=True)
        return (centred * centred).mean(axis=axis, keepdims=keepdims)

    def max(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """Maximum; the gradient is shared equally between tied maxima (like ``torch.amax``)."""
        m = self.data.max(axis=axis, keepdims=True)
        mask = (self.data == m).astype(self.dtype)
        mask /= mask.sum(axis=axis, keepdims=True)
        value = m if keepdims else (m.reshape(()) if axis is None else np.squeeze(m, axis=axis))
        out = Tensor._result(value, (self,), "max")

        def backward(g: np.ndarray) -> None:
            if not keepdims:
                g = g.reshape(m.shape)
            self._accumulate(mask * g)

        out._backward = backward
        return out

    # ------------------------------------------------------------------ shape
    def reshape(self, *shape: int) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        out = Tensor._result(self.data.reshape(shape), (self,), "reshape")
        out._backward = lambda g: self._accumulate(g.reshape(self.shape))
        return out

    def transpose(self, *axes: int) -> Tensor:
        """Permute axes (all reversed when none given); two axes are swapped, like ``torch.transpose``
        (``x.transpose(-2, -1)`` is the matrix transpose at any rank, 2-D included)."""
        if len(axes) == 2:
            perm = list(range(self.ndim))
            perm[axes[0]], perm[axes[1]] = perm[axes[1]], perm[axes[0]]
            axes = tuple(perm)
        order = tuple(axes) if axes else tuple(reversed(range(self.ndim)))
        inverse = tuple(np.argsort(order))
        out = Tensor._result(self.data.transpose(order), (self,), "transpose")
        out._backward = lambda g: self._accumulate(g.transpose(inverse))
        return out

    def __getitem__(self, index: Any) -> Tensor:
        """Basic and fancy indexing; repeated indices (embedding lookups) accumulate their gradients."""
        if isinstance(index, Tensor):
            index = index.data.astype(np.int64)
        out = Tensor._result(self.data[index], (self,), "index")

        def backward(g: np.ndarray) -> None:
            full = np.zeros_like(self.data)
            np.add.at(full, index, g)
            self._accumulate(full)

        out._backward = backward
        return out

    # ------------------------------------------------------------------ constructors
    @staticmethod
    def zeros(*shape: int, requires_grad: bool = False) -> Tensor:
        return Tensor(np.zeros(shape), requires_grad=requires_grad)

    @staticmethod
    def randn(
        *shape: int, rng: np.random.Generator, scale: float = 1.0, requires_grad: bool = False
    ) -> Tensor:
        return Tensor(rng.standard_normal(shape) * scale, requires_grad=requires_grad)
