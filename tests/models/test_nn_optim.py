"""Layers, losses and optimisers against torch in float64."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

from models import losses, nn, optim
from models.engine import Tensor


def _t(a: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def test_linear_and_its_gradients_match_torch(rng: np.random.Generator) -> None:
    layer = nn.Linear(4, 3, rng=rng)
    ref = torch.nn.Linear(4, 3).double()
    with torch.no_grad():
        ref.weight.copy_(_t(layer.weight.data.T))
        ref.bias.copy_(_t(layer.bias.data))
    x = rng.standard_normal((5, 4))
    out, tout = layer(Tensor(x)), ref(_t(x))
    np.testing.assert_allclose(out.data, tout.detach().numpy(), atol=1e-12)
    (out**2).sum().backward()
    (tout**2).sum().backward()
    np.testing.assert_allclose(layer.weight.grad, ref.weight.grad.numpy().T, atol=1e-12)
    np.testing.assert_allclose(layer.bias.grad, ref.bias.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("shape", [(8, 3), (4, 3, 2, 2)])
def test_batchnorm_train_and_eval_match_torch(shape: tuple[int, ...], rng: np.random.Generator) -> None:
    bn, ref = nn.BatchNorm(3), torch.nn.BatchNorm1d(3) if len(shape) == 2 else torch.nn.BatchNorm2d(3)
    ref = ref.double()
    x = rng.standard_normal(shape) * 2 + 1
    xt = _t(x, grad=True)
    xo = Tensor(x, requires_grad=True)
    out, tout = bn(xo), ref(xt)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), atol=1e-10)
    w = rng.standard_normal(shape)
    (out * w).sum().backward()
    (tout * _t(w)).sum().backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(bn.running_mean, ref.running_mean.numpy(), atol=1e-12)
    np.testing.assert_allclose(bn.running_var, ref.running_var.numpy(), atol=1e-12)
    bn.eval()
    ref.eval()
    np.testing.assert_allclose(bn(Tensor(x)).data, ref(_t(x)).detach().numpy(), atol=1e-10)


def test_module_state_dict_roundtrip_through_npz(tmp_path: Path, rng: np.random.Generator) -> None:
    model = nn.Sequential(
        nn.Linear(3, 4, rng=rng), nn.BatchNorm(4), nn.Activation("relu"), nn.Linear(4, 2, rng=rng)
    )
    model(Tensor(rng.standard_normal((6, 3))))  # moves the running statistics
    model.save(tmp_path / "m.npz")
    other = nn.Sequential(
        nn.Linear(3, 4, rng=rng), nn.BatchNorm(4), nn.Activation("relu"), nn.Linear(4, 2, rng=rng)
    )
    other.load(tmp_path / "m.npz")
    assert set(model.state_dict()) == {
        "layers.0.weight",
        "layers.0.bias",
        "layers.1.weight",
        "layers.1.bias",
        "layers.1.running_mean",
        "layers.1.running_var",
        "layers.3.weight",
        "layers.3.bias",
    }
    for (k, a), (_, b) in zip(model.state_dict().items(), other.state_dict().items(), strict=True):
        np.testing.assert_array_equal(a, b, err_msg=k)
    model.eval(), other.eval()
    x = Tensor(rng.standard_normal((2, 3)))
    np.testing.assert_array_equal(model(x).data, other(x).data)
    assert model.num_parameters() == 3 * 4 + 4 + 4 + 4 + 4 * 2 + 2
    with pytest.raises(KeyError, match="same architecture"):
        other.load_state_dict({})


def test_losses_match_torch(rng: np.random.Generator) -> None:
    z = rng.standard_normal((6, 4)) * 30  # large logits: the stable forms must not overflow
    y = rng.integers(0, 4, 6)
    zo, zt = Tensor(z, requires_grad=True), _t(z, grad=True)
    ce, tce = losses.cross_entropy(zo, y), TF.cross_entropy(zt, torch.tensor(y))
    np.testing.assert_allclose(ce.item(), tce.item(), rtol=1e-12)
    ce.backward(), tce.backward()
    np.testing.assert_allclose(zo.grad, zt.grad.numpy(), atol=1e-12)
    yb = rng.integers(0, 2, (6, 4)).astype(float)
    zo.grad, zt.grad = None, None
    bce, tbce = (
        losses.binary_cross_entropy_with_logits(zo, yb),
        TF.binary_cross_entropy_with_logits(zt, _t(yb)),
    )
    np.testing.assert_allclose(bce.item(), tbce.item(), rtol=1e-12)
    bce.backward(), tbce.backward()
    np.testing.assert_allclose(zo.grad, zt.grad.numpy(), atol=1e-12)
    p = rng.uniform(0.05, 0.95, (6, 4))
    np.testing.assert_allclose(
        losses.binary_cross_entropy(Tensor(p), yb).item(),
        TF.binary_cross_entropy(_t(p), _t(yb)).item(),
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        losses.mse(Tensor(p), yb).item(), TF.mse_loss(_t(p), _t(yb)).item(), rtol=1e-12
    )


def test_cross_entropy_ignore_index_and_penalties() -> None:
    z = np.array([[2.0, 0.0], [0.0, 3.0], [1.0, 1.0]])
    loss = losses.cross_entropy(Tensor(z), np.array([0, -1, 1]), ignore_index=-1)
    expected = -(np.log(np.exp(2) / (np.exp(2) + 1)) + np.log(0.5)) / 2
    np.testing.assert_allclose(loss.item(), expected, rtol=1e-12)
    w = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    assert losses.l1_penalty([w], 0.1).item() == pytest.approx(0.6)
    l2 = losses.l2_penalty([w], 0.1)
    assert l2.item() == pytest.approx(0.5 * 0.1 * 14)
    l2.backward()
    np.testing.assert_allclose(w.grad, 0.1 * w.data)


OPTIMISERS = {
    "sgd": (lambda p: optim.SGD(p, lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    "sgd_momentum_wd": (
        lambda p: optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.01),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.01),
    ),
    "adam": (lambda p: optim.Adam(p, lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
    "adam_wd": (
        lambda p: optim.Adam(p, lr=0.01, weight_decay=0.1),
        lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1),
    ),
    "adamw": (
        lambda p: optim.AdamW(p, lr=0.01, weight_decay=0.1),
        lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
    ),
}


@pytest.mark.parametrize("name", list(OPTIMISERS))
def test_optimisers_follow_torch_step_by_step(name: str, rng: np.random.Generator) -> None:
    a, target = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    x = rng.standard_normal((5, 3))
    w, wt = Tensor(a.copy(), requires_grad=True), _t(a, grad=True)
    ours, theirs = OPTIMISERS[name][0]([w]), OPTIMISERS[name][1]([wt])
    for _ in range(10):
        ours.zero_grad(), theirs.zero_grad()
        (((Tensor(x) @ w) - target) ** 2).mean().backward()
        (((_t(x) @ wt) - _t(target)) ** 2).mean().backward()
        ours.step(), theirs.step()
        np.testing.assert_allclose(w.data, wt.detach().numpy(), atol=1e-12)


def test_schedules_and_clipping_match_torch() -> None:
    assert optim.step_lr(25, 1.0, step_size=10, gamma=0.5) == 0.25
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=2.0)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20, eta_min=0.1)
    for step in range(1, 21):
        opt.step(), sched.step()
        assert optim.cosine_lr(step, 2.0, total=20, min_lr=0.1) == pytest.approx(opt.param_groups[0]["lr"])
    assert [optim.warmup_cosine_lr(s, 1.0, warmup=4, total=10) for s in (0, 3, 4, 10)] == pytest.approx(
        [0.25, 1.0, 1.0, 0.0]
    )
    g = np.array([3.0, 4.0])
    w, wt = Tensor(np.zeros(2), requires_grad=True), torch.zeros(2, dtype=torch.float64, requires_grad=True)
    w.grad, wt.grad = g.copy(), _t(g)
    assert optim.clip_grad_norm([w], 1.0) == pytest.approx(5.0)
    torch.nn.utils.clip_grad_norm_([wt], 1.0)
    np.testing.assert_allclose(w.grad, wt.grad.numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match="model.parameters"):
        optim.SGD([], lr=0.1)
