"""Parametric exercises: every generator's answer against an independent computation, over many seeds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from agents.practice import GENERATORS, generate, grade_exercise
from knowledge.errors import QuizInputError

SEEDS = range(40)


@pytest.mark.parametrize("seed", SEEDS)
def test_var_es_against_a_sorted_sample(seed: int) -> None:
    ex = generate("var_es", seed)
    r = np.sort(np.asarray(ex.data["returns"]))
    pos = 0.1 * (len(r) - 1)  # numpy's linear interpolation, by hand
    lo, frac = int(pos), pos - int(pos)
    q = r[lo] + frac * (r[lo + 1] - r[lo])
    assert ex.answers["var"] == pytest.approx(-q, abs=1e-6)
    assert ex.answers["es"] == pytest.approx(-r[r <= q].mean(), abs=1e-6)
    assert ex.answers["es"] >= ex.answers["var"]


@pytest.mark.parametrize("seed", SEEDS)
def test_sharpe_against_the_formula(seed: int) -> None:
    ex = generate("sharpe", seed)
    r = ex.data["returns"]
    mean = sum(r) / len(r)
    sd = math.sqrt(sum((x - mean) ** 2 for x in r) / (len(r) - 1))
    assert ex.answers["sharpe"] == pytest.approx(mean / sd * math.sqrt(12), abs=1e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_gradient_against_finite_differences(seed: int) -> None:
    ex = generate("gradient", seed)
    a, b, c, x0 = (float(ex.data[k]) for k in ("a", "b", "c", "x"))  # type: ignore[arg-type]
    f = lambda x: a * x**3 + b * x**2 + c * x  # noqa: E731
    h = 1e-5
    assert ex.answers["grad"] == pytest.approx((f(x0 + h) - f(x0 - h)) / (2 * h), abs=1e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_first_step_moves_by_lr_against_the_gradient(seed: int) -> None:
    torch = pytest.importorskip("torch")
    ex = generate("adam", seed)
    w0, g, lr = (float(ex.data[k]) for k in ("w0", "g", "lr"))  # type: ignore[arg-type]
    p = torch.tensor([w0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=lr)
    p.grad = torch.tensor([g], dtype=torch.float64)
    opt.step()
    assert ex.answers["w"] == pytest.approx(float(p.detach()[0]), abs=1e-7)


@pytest.mark.parametrize("seed", SEEDS)
def test_attention_weights_against_numpy(seed: int) -> None:
    ex = generate("attention", seed)
    q, k = np.array(ex.data["q"]), np.array(ex.data["k"])
    s = k @ q / np.sqrt(2)
    w = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
    assert [ex.answers[f"w{i}"] for i in (1, 2, 3)] == pytest.approx(w.tolist(), abs=1e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_garch_step_against_the_recursion(seed: int) -> None:
    ex = generate("garch", seed)
    omega, alpha, beta, eps, s2 = (float(ex.data[k]) for k in ("omega", "alpha", "beta", "eps", "sigma2"))  # type: ignore[arg-type]
    params = np.array([omega, alpha, beta])
    assert ex.answers["var"] == pytest.approx(float(params @ np.array([1.0, eps * eps, s2])), abs=1e-6)
    assert alpha + beta < 1  # a stationary model


@pytest.mark.parametrize("seed", SEEDS)
def test_kupiec_against_scipy(seed: int) -> None:
    ex = generate("kupiec", seed)
    n, x = int(ex.data["n"]), int(ex.data["exceedances"])  # type: ignore[call-overload]
    p = 0.01
    ll0 = stats.binom.logpmf(x, n, p)
    ll1 = stats.binom.logpmf(x, n, x / n) if x > 0 else n * math.log(1.0)
    lr = max(-2 * (ll0 - ll1), 0.0)
    assert ex.answers["lr"] == pytest.approx(lr, abs=1e-3)
    assert ex.answers["p"] == pytest.approx(stats.chi2.sf(lr, 1), abs=1e-3)


@pytest.mark.parametrize("kind", sorted(GENERATORS))
def test_grading_accepts_the_answer_and_explains(kind: str) -> None:
    ex = generate(kind, 11)
    good = grade_exercise(ex, {k: str(v).replace(".", ",") for k, v in ex.answers.items()}, "fr")
    assert good.correct and good.explanation == ex.explanation["fr"]
    bad = grade_exercise(ex, {k: str(v + 10 * ex.tolerance[k] + 1) for k, v in ex.answers.items()}, "en")
    assert not bad.correct and not any(bad.per_answer.values())
    assert generate(kind, 11) == ex  # a seed reproduces the exercise


def test_a_non_number_answer_says_what_to_type() -> None:
    ex = generate("sharpe", 1)
    with pytest.raises(QuizInputError, match="Réponds par un nombre"):
        grade_exercise(ex, {"sharpe": "beaucoup"})
    with pytest.raises(QuizInputError, match="Donne une réponse"):
        grade_exercise(ex, {"sharpe": "  "})
