"""Every engine op against torch in float64: forward values and gradients (tinygrad's helper_test_op)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

from models import functional as F
from models.engine import Tensor, no_grad
from models.errors import GradcheckError, ShapeError
from models.functional import concat, embedding, stack
from models.gradcheck import gradcheck

Fn = Callable[..., object]


def helper_test_op(
    shapes: list[tuple[int, ...]],
    ours: Fn,
    theirs: Fn,
    *,
    positive: bool = False,
    seed: int = 0,
    atol: float = 1e-10,
) -> None:
    """Compare forward values and the gradients of a random linear functional of the output."""
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) for s in shapes]
    if positive:
        arrays = [np.abs(a) + 0.5 for a in arrays]
    xs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out, tout = ours(*xs), theirs(*ts)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), atol=atol, rtol=1e-9)
    w = rng.standard_normal(out.shape)
    (out * Tensor(w)).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    for x, t in zip(xs, ts, strict=True):
        np.testing.assert_allclose(x.grad, t.grad.numpy(), atol=atol, rtol=1e-9)


BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / (b * b + 1.0), lambda a, b: a / (b * b + 1.0)),
}
BROADCAST_SHAPES = [
    [(3, 4), (3, 4)],
    [(3, 4), (4,)],
    [(2, 3, 4), (3, 1)],
    [(5,), (1,)],
    [(2, 1, 4), (1, 3, 1)],
]


@pytest.mark.parametrize("shapes", BROADCAST_SHAPES)
@pytest.mark.parametrize("name", list(BINARY))
def test_binary_ops_match_torch(name: str, shapes: list[tuple[int, ...]]) -> None:
    helper_test_op(shapes, *BINARY[name])


UNARY = {
    "exp": (lambda x: x.exp(), torch.exp, False),
    "log": (lambda x: x.log(), torch.log, True),
    "abs": (lambda x: x.abs(), torch.abs, False),
    "sqrt": (lambda x: x.sqrt(), torch.sqrt, True),
    "tanh": (lambda x: x.tanh(), torch.tanh, False),
    "sigmoid": (lambda x: x.sigmoid(), torch.sigmoid, False),
    "relu": (lambda x: x.relu(), torch.relu, False),
    "gelu": (lambda x: x.gelu(), TF.gelu, False),
    "gelu_tanh": (lambda x: x.gelu("tanh"), lambda x: TF.gelu(x, approximate="tanh"), False),
    "neg": (lambda x: -x, lambda x: -x, False),
    "pow2": (lambda x: x**2, lambda x: x**2, False),
    "pow3": (lambda x: x**3, lambda x: x**3, False),
    "pow_half": (lambda x: x**0.5, lambda x: x**0.5, True),
    "pow_minus1": (lambda x: x**-1.0, lambda x: x**-1.0, True),
    "rsub": (lambda x: 2.0 - x, lambda x: 2.0 - x, False),
    "rdiv": (lambda x: 1.0 / x, lambda x: 1.0 / x, True),
}


@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4)])
@pytest.mark.parametrize("name", list(UNARY))
def test_unary_ops_match_torch(name: str, shape: tuple[int, ...]) -> None:
    ours, theirs, positive = UNARY[name]
    helper_test_op([shape], ours, theirs, positive=positive)


@pytest.mark.parametrize(
    "shapes",
    [
        [(3, 4), (4, 5)],
        [(2, 3, 4), (4, 5)],
        [(2, 3, 4), (2, 4, 5)],
        [(4,), (4, 5)],
        [(3, 4), (4,)],
        [(2, 1, 3, 4), (5, 4, 2)],
        [(1, 3), (3, 1)],
    ],
)
def test_matmul_matches_torch(shapes: list[tuple[int, ...]]) -> None:
    helper_test_op(shapes, lambda a, b: a @ b, lambda a, b: a @ b)


REDUCTIONS = {
    "sum_all": (lambda x: x.sum(), lambda x: x.sum()),
    "sum_0": (lambda x: x.sum(axis=0), lambda x: x.sum(dim=0)),
    "sum_last_keep": (lambda x: x.sum(axis=-1, keepdims=True), lambda x: x.sum(dim=-1, keepdim=True)),
    "mean_all": (lambda x: x.mean(), lambda x: x.mean()),
    "mean_0": (lambda x: x.mean(axis=0), lambda x: x.mean(dim=0)),
    "var_last": (lambda x: x.var(axis=-1), lambda x: x.var(dim=-1, unbiased=False)),
    "max_all": (lambda x: x.max(), lambda x: x.amax()),
    "max_0": (lambda x: x.max(axis=0), lambda x: x.amax(dim=0)),
    "max_last_keep": (lambda x: x.max(axis=-1, keepdims=True), lambda x: x.amax(dim=-1, keepdim=True)),
    "softmax_last": (lambda x: x.softmax(-1), lambda x: torch.softmax(x, -1)),
    "softmax_0": (lambda x: x.softmax(0), lambda x: torch.softmax(x, 0)),
    "log_softmax_last": (lambda x: x.log_softmax(-1), lambda x: torch.log_softmax(x, -1)),
    "log_softmax_0": (lambda x: x.log_softmax(0), lambda x: torch.log_softmax(x, 0)),
}


@pytest.mark.parametrize("shape", [(6,), (4, 5), (2, 3, 4)])
@pytest.mark.parametrize("name", list(REDUCTIONS))
def test_reductions_match_torch(name: str, shape: tuple[int, ...]) -> None:
    helper_test_op([shape], *REDUCTIONS[name])


def test_multi_axis_sum_and_mean() -> None:
    helper_test_op([(2, 3, 4)], lambda x: x.sum(axis=(0, 2)), lambda x: x.sum(dim=(0, 2)))
    helper_test_op(
        [(2, 3, 4)], lambda x: x.mean(axis=(0, 2), keepdims=True), lambda x: x.mean(dim=(0, 2), keepdim=True)
    )


SHAPE_OPS = {
    "reshape": ((2, 3, 4), lambda x: x.reshape(6, 4), lambda x: x.reshape(6, 4)),
    "reshape_infer": ((2, 3, 4), lambda x: x.reshape(-1), lambda x: x.reshape(-1)),
    "T": ((3, 5), lambda x: x.T, lambda x: x.T),
    "transpose_perm": ((2, 3, 4), lambda x: x.transpose(2, 0, 1), lambda x: x.permute(2, 0, 1)),
    "transpose_swap": ((2, 3, 4), lambda x: x.transpose(1, 2), lambda x: x.transpose(1, 2)),
    "slice": ((5, 6), lambda x: x[1:4, ::2], lambda x: x[1:4, ::2]),
    "int_index": ((5, 6), lambda x: x[2], lambda x: x[2]),
    "fancy_repeat": (
        (5, 3),
        lambda x: x[np.array([0, 2, 2, 4, 0])],
        lambda x: x[torch.tensor([0, 2, 2, 4, 0])],
    ),
    "pairs": (
        (4, 6),
        lambda x: x[np.arange(4), np.array([1, 5, 1, 0])],
        lambda x: x[torch.arange(4), torch.tensor([1, 5, 1, 0])],
    ),
}


@pytest.mark.parametrize("name", list(SHAPE_OPS))
def test_shape_and_index_ops_match_torch(name: str) -> None:
    shape, ours, theirs = SHAPE_OPS[name]
    helper_test_op([shape], ours, theirs)


def test_embedding_lookup_accumulates_repeated_ids() -> None:
    ids = np.array([[1, 3, 1], [0, 1, 2]])
    helper_test_op([(5, 4)], lambda w: embedding(w, ids), lambda w: TF.embedding(torch.tensor(ids), w))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concat_and_stack_match_torch(axis: int) -> None:
    helper_test_op(
        [(2, 3, 4), (2, 3, 4)], lambda a, b: concat([a, b], axis), lambda a, b: torch.cat([a, b], axis)
    )
    helper_test_op(
        [(2, 3), (2, 3), (2, 3)],
        lambda a, b, c: stack([a, b, c], axis % 3),
        lambda a, b, c: torch.stack([a, b, c], axis % 3),
    )


@pytest.mark.parametrize(
    "n,c,h,w,f,k,stride,padding",
    [
        (2, 1, 6, 6, 3, 3, 1, 0),
        (2, 3, 7, 5, 4, 3, 2, 1),
        (1, 2, 8, 8, 2, 5, 1, 2),
        (3, 2, 5, 5, 3, 1, 1, 0),
    ],
)
def test_conv2d_matches_torch(
    n: int, c: int, h: int, w: int, f: int, k: int, stride: int, padding: int
) -> None:
    helper_test_op(
        [(n, c, h, w), (f, c, k, k), (f,)],
        lambda x, wt, b: F.conv2d(x, wt, b, stride=stride, padding=padding),
        lambda x, wt, b: TF.conv2d(x, wt, b, stride=stride, padding=padding),
    )


@pytest.mark.parametrize("shape,k,stride", [((2, 3, 6, 6), 2, 2), ((1, 2, 7, 5), 3, 2), ((2, 1, 5, 5), 2, 1)])
def test_pooling_matches_torch(shape: tuple[int, ...], k: int, stride: int) -> None:
    helper_test_op([shape], lambda x: F.max_pool2d(x, k, stride), lambda x: TF.max_pool2d(x, k, stride))
    helper_test_op([shape], lambda x: F.avg_pool2d(x, k, stride), lambda x: TF.avg_pool2d(x, k, stride))


@pytest.mark.parametrize("shape", [(4, 6), (2, 3, 5)])
def test_layer_norm_matches_torch(shape: tuple[int, ...]) -> None:
    d = shape[-1]
    helper_test_op(
        [shape, (d,), (d,)],
        lambda x, g, b: F.layer_norm(x, g, b),
        lambda x, g, b: TF.layer_norm(x, (d,), g, b),
        atol=1e-9,
    )


def test_dropout_keeps_expectation_and_is_identity_in_eval(rng: np.random.Generator) -> None:
    x = Tensor(np.ones((200, 500)), requires_grad=True)
    y = F.dropout(x, 0.3, rng)
    kept = y.data != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(y.data[kept], 1 / 0.7)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, y.data)  # the gradient goes through the same mask
    assert F.dropout(x, 0.3, rng, training=False) is x
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        F.dropout(x, 1.0, rng)


def test_shared_subexpression_accumulates_gradient() -> None:
    x = Tensor([2.0, -1.0], requires_grad=True)
    y = x * x
    z = (y + y * x).sum()  # d/dx (x^2 + x^3) = 2x + 3x^2
    z.backward()
    np.testing.assert_allclose(x.grad, [2 * 2 + 3 * 4, -2 + 3])


def test_no_grad_builds_no_graph_and_backward_needs_scalar() -> None:
    x = Tensor(np.ones(3), requires_grad=True)
    with no_grad():
        y = x * 2
    assert not y.requires_grad and y._parents == ()
    with pytest.raises(ShapeError, match="sum"):
        (x * 2).backward()
    with pytest.raises(ShapeError, match="inner dimensions"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3)))


def test_gradcheck_accepts_a_composite_function(rng: np.random.Generator) -> None:
    a = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
    b = Tensor(rng.standard_normal((4, 2)), requires_grad=True)
    gradcheck(lambda: ((a @ b).tanh().softmax(-1) * (a.sigmoid() @ b).gelu()).sum(), [a, b])


def _planted_square(x: Tensor) -> Tensor:
    """x**2 with a wrong backward (x instead of 2x): the negative control."""
    out = Tensor._result(x.data**2, (x,), "bad_square")
    out._backward = lambda g: x._accumulate(g * x.data)
    return out


def test_gradcheck_fails_on_a_planted_wrong_gradient(rng: np.random.Generator) -> None:
    x = Tensor(rng.standard_normal(5), requires_grad=True)
    gradcheck(lambda: (x**2).sum(), [x])  # the correct op passes ...
    with pytest.raises(GradcheckError, match="differ"):  # ... the planted bug does not
        gradcheck(lambda: _planted_square(x).sum(), [x])


def test_gradcheck_on_conv_pool_and_layer_norm(rng: np.random.Generator) -> None:
    x = Tensor(rng.standard_normal((1, 2, 5, 5)), requires_grad=True)
    w = Tensor(rng.standard_normal((2, 2, 3, 3)), requires_grad=True)
    g = Tensor(rng.standard_normal(3), requires_grad=True)
    b = Tensor(rng.standard_normal(3), requires_grad=True)
    gradcheck(lambda: (F.max_pool2d(F.conv2d(x, w, padding=1), 2) ** 2).sum(), [x, w])
    gradcheck(lambda: (F.layer_norm(x.reshape(-1, 5)[:, :3], g, b) ** 3).sum(), [x, g, b])


def test_transpose_of_two_axes_swaps_them_at_every_rank() -> None:
    """Regression: ``transpose(-2, -1)`` on a 2-D tensor was read as a permutation (the identity)."""
    import torch

    from models.engine import Tensor

    rng = np.random.default_rng(3)
    for shape in ((3, 4), (2, 3, 4)):
        x = rng.normal(size=shape)
        t = Tensor(x, requires_grad=True)
        y = t.transpose(-2, -1)
        np.testing.assert_array_equal(y.data, torch.from_numpy(x).transpose(-2, -1).numpy())
        (y * Tensor(np.arange(y.data.size, dtype=float).reshape(y.data.shape))).sum().backward()
        expected = np.swapaxes(np.arange(y.data.size, dtype=float).reshape(y.data.shape), -2, -1)
        np.testing.assert_array_equal(t.grad, expected)
