"""Convolution, pooling and dropout on :class:`models.engine.Tensor`, and joining (concat, stack) and row selection
(embedding).

Convolution is computed by *im2col* (Chellapilla, Puri & Simard, 2006): every receptive field is copied into
a row of a matrix, so the convolution becomes one matrix product, and its backward pass is the transposed
product followed by *col2im*, which adds each row back into the receptive field it came from.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from models.engine import Tensor
from models.errors import ShapeError


def _windows(x: np.ndarray, kh: int, kw: int, stride: int) -> np.ndarray:
    """View (N, C, H, W) as (N, C, Ho, Wo, kh, kw) receptive fields, without copying."""
    return sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]


def _pad(x: np.ndarray, padding: int) -> np.ndarray:
    if padding == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def conv2d(
    x: Tensor, weight: Tensor, bias: Tensor | None = None, *, stride: int = 1, padding: int = 0
) -> Tensor:
    r"""2-D cross-correlation, as ``torch.nn.functional.conv2d``.

    .. math:: y_{n,f,i,j} = b_f + \sum_{c,u,v} w_{f,c,u,v}\, x_{n,c,si+u,sj+v}

    Parameters
    ----------
    x : Tensor, shape (N, C, H, W)
    weight : Tensor, shape (F, C, kh, kw)
    bias : Tensor of shape (F,), optional
    stride, padding : int
        Step between receptive fields and zero padding on each side, in pixels.

    Returns
    -------
    Tensor, shape (N, F, Ho, Wo) with ``Ho = (H + 2 padding - kh) // stride + 1``.
    """
    if x.ndim != 4 or weight.ndim != 4 or x.shape[1] != weight.shape[1]:
        raise ShapeError(
            f"conv2d expects x (N, C, H, W) and weight (F, C, kh, kw); got {x.shape}, {weight.shape}"
        )
    n, c, h, w = x.shape
    f, _, kh, kw = weight.shape
    xp = _pad(x.data, padding)
    win = _windows(xp, kh, kw, stride)  # (N, C, Ho, Wo, kh, kw)
    ho, wo = win.shape[2], win.shape[3]
    cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(n * ho * wo, c * kh * kw)  # im2col
    wmat = weight.data.reshape(f, -1)  # (F, C*kh*kw)
    out_data = (cols @ wmat.T).reshape(n, ho, wo, f).transpose(0, 3, 1, 2)  # (N, F, Ho, Wo)
    if bias is not None:
        out_data = out_data + bias.data.reshape(1, f, 1, 1)
    parents = (x, weight) if bias is None else (x, weight, bias)
    out = Tensor._result(np.ascontiguousarray(out_data), parents, "conv2d")

    def backward(g: np.ndarray) -> None:
        g2 = g.transpose(0, 2, 3, 1).reshape(-1, f)  # (N*Ho*Wo, F)
        weight._accumulate((g2.T @ cols).reshape(weight.shape))
        if bias is not None:
            bias._accumulate(g2.sum(axis=0))
        if x.requires_grad:
            dcols = (g2 @ wmat).reshape(n, ho, wo, c, kh, kw)
            dxp = np.zeros_like(xp)
            for u in range(kh):  # col2im: add every column back where it was read from
                for v in range(kw):
                    dxp[:, :, u : u + stride * ho : stride, v : v + stride * wo : stride] += dcols[
                        :, :, :, :, u, v
                    ].transpose(0, 3, 1, 2)
            x._accumulate(dxp[:, :, padding : padding + h, padding : padding + w])

    out._backward = backward
    return out


def max_pool2d(x: Tensor, kernel: int = 2, stride: int | None = None) -> Tensor:
    """Max over each ``kernel`` x ``kernel`` window; the gradient goes to the (first) argmax, as in torch."""
    stride = stride or kernel
    win = _windows(x.data, kernel, kernel, stride)  # (N, C, Ho, Wo, k, k)
    flat = win.reshape(*win.shape[:4], -1)
    arg = flat.argmax(axis=-1)
    out = Tensor._result(np.take_along_axis(flat, arg[..., None], axis=-1)[..., 0], (x,), "max_pool2d")
    ho, wo = win.shape[2], win.shape[3]

    def backward(g: np.ndarray) -> None:
        dx = np.zeros_like(x.data)
        for u in range(kernel):
            for v in range(kernel):
                hit = arg == u * kernel + v
                dx[:, :, u : u + stride * ho : stride, v : v + stride * wo : stride] += g * hit
        x._accumulate(dx)

    out._backward = backward
    return out


def avg_pool2d(x: Tensor, kernel: int = 2, stride: int | None = None) -> Tensor:
    """Mean over each ``kernel`` x ``kernel`` window."""
    stride = stride or kernel
    win = _windows(x.data, kernel, kernel, stride)
    out = Tensor._result(win.mean(axis=(-2, -1)), (x,), "avg_pool2d")
    ho, wo = win.shape[2], win.shape[3]

    def backward(g: np.ndarray) -> None:
        dx = np.zeros_like(x.data)
        for u in range(kernel):
            for v in range(kernel):
                dx[:, :, u : u + stride * ho : stride, v : v + stride * wo : stride] += g / kernel**2
        x._accumulate(dx)

    out._backward = backward
    return out


def dropout(x: Tensor, p: float, rng: np.random.Generator, *, training: bool = True) -> Tensor:
    r"""Inverted dropout (Srivastava et al., 2014): zero each unit with probability ``p``, scale the rest by
    :math:`1/(1-p)` so the expectation is unchanged; the identity at evaluation."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability must be in [0, 1), got {p}")
    if not training or p == 0.0:
        return x
    mask = (rng.random(x.shape) >= p).astype(x.dtype) / (1.0 - p)
    return x * mask


def layer_norm(x: Tensor, weight: Tensor, bias: Tensor, eps: float = 1e-5) -> Tensor:
    r"""Layer normalisation over the last axis (Ba, Kiros & Hinton, 2016), fused for speed.

    .. math:: y = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta

    Backward: with :math:`\hat x` the normalised input and :math:`\hat g = g \odot \gamma`,
    :math:`dx = \frac{1}{\sigma}\,(\hat g - \overline{\hat g} - \hat x\, \overline{\hat g \hat x})`.
    """
    mu = x.data.mean(axis=-1, keepdims=True)
    inv = 1.0 / np.sqrt(x.data.var(axis=-1, keepdims=True) + eps)
    xhat = (x.data - mu) * inv
    out = Tensor._result(xhat * weight.data + bias.data, (x, weight, bias), "layer_norm")

    def backward(g: np.ndarray) -> None:
        lead = tuple(range(g.ndim - 1))
        weight._accumulate((g * xhat).sum(axis=lead))
        bias._accumulate(g.sum(axis=lead))
        gh = g * weight.data
        x._accumulate(
            inv * (gh - gh.mean(axis=-1, keepdims=True) - xhat * (gh * xhat).mean(axis=-1, keepdims=True))
        )

    out._backward = backward
    return out


# -- joining and selecting -----------------------------------------------------------------------------------
def concat(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis; the gradient is split back at the same offsets."""
    out = Tensor._result(np.concatenate([t.data for t in tensors], axis=axis), tensors, "concat")
    offsets = np.cumsum([t.shape[axis] for t in tensors])[:-1]

    def backward(g: np.ndarray) -> None:
        for t, piece in zip(tensors, np.split(g, offsets, axis=axis), strict=True):
            t._accumulate(piece)

    out._backward = backward
    return out


def stack(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join tensors along a new axis."""
    expanded = [
        t.reshape(*t.shape[: axis % (t.ndim + 1)], 1, *t.shape[axis % (t.ndim + 1) :]) for t in tensors
    ]
    return concat(expanded, axis=axis)


def embedding(weight: Tensor, ids: np.ndarray) -> Tensor:
    """Rows of ``weight`` (V, C) selected by integer ``ids`` of any shape: (...,) -> (..., C)."""
    return weight[np.asarray(ids, dtype=np.int64)]
