"""Parametric exercises that never run out: random data, the answer computed by our own libraries
(``finance``, ``models``), and a step-by-step explanation of the right result.

    ex = generate("var_es", seed=7)        # prompt (fr/en), data, answers, tolerance, explanation
    grade_exercise(ex, {"var": "2,1", "es": "2.9"}, "fr")
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from finance.metrics import sharpe_ratio
from finance.risk import var_historical
from finance.var_backtest import kupiec_pof
from knowledge.quizzes.bank import parse_number
from models.attention import scaled_dot_product_attention
from models.engine import Tensor
from models.optim import Adam

Kind = Literal["var_es", "sharpe", "gradient", "adam", "attention", "garch", "kupiec"]


@dataclass(frozen=True)
class Exercise:
    kind: str
    seed: int
    chapter: str
    prompt: dict[str, str]  # fr, en
    answers: dict[str, float]  # name -> value
    labels: dict[str, dict[str, str]]  # name -> {fr, en}: what to type in each field
    tolerance: dict[str, float]
    explanation: dict[str, str]  # fr, en: the computation step by step
    data: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ExerciseGrade:
    correct: bool
    per_answer: dict[str, bool]
    explanation: str


def _fmt(x: float, nd: int = 4) -> str:
    return f"{x:.{nd}f}"


def _var_es(rng: np.random.Generator, seed: int) -> Exercise:
    r = np.round(rng.normal(0.0004, 0.015, 40), 4)
    res = var_historical(r, level=0.9)
    q = float(np.quantile(r, 0.1))
    tail = r[r <= q]
    listing = ", ".join(f"{x:+.4f}" for x in r)
    return Exercise(
        "var_es", seed, "37",
        {"fr": f"Voici 40 rendements quotidiens : {listing}. Calcule la VaR historique et l'Expected Shortfall "
               "à 90 % (en fraction, positives pour une perte ; quantile avec l'interpolation linéaire de numpy).",
         "en": f"Here are 40 daily returns: {listing}. Compute the historical VaR and Expected Shortfall at 90 % "
               "(as fractions, positive for a loss; quantile with numpy's linear interpolation)."},
        {"var": round(res.var, 6), "es": round(res.es, 6)},
        {"var": {"fr": "VaR 90 %", "en": "90 % VaR"}, "es": {"fr": "ES 90 %", "en": "90 % ES"}},
        {"var": 5e-4, "es": 5e-4},
        {"fr": f"1) Quantile à 10 % des rendements : q = {_fmt(q)}. 2) VaR = −q = {_fmt(res.var)}. "
               f"3) ES = −moyenne des {len(tail)} rendements ≤ q = {_fmt(res.es)} : l'ES est toujours ≥ la VaR.",
         "en": f"1) 10 % quantile of the returns: q = {_fmt(q)}. 2) VaR = −q = {_fmt(res.var)}. "
               f"3) ES = −mean of the {len(tail)} returns ≤ q = {_fmt(res.es)}: ES is always ≥ VaR."},
        {"returns": r.tolist(), "level": 0.9},
    )


def _sharpe(rng: np.random.Generator, seed: int) -> Exercise:
    r = np.round(rng.normal(0.01, 0.04, 12), 3)
    sr = sharpe_ratio(pd.Series(r), periods_per_year=12)
    mean, sd = float(r.mean()), float(r.std(ddof=1))
    listing = ", ".join(f"{x:+.3f}" for x in r)
    return Exercise(
        "sharpe", seed, "37",
        {"fr": f"Rendements mensuels d'une stratégie : {listing}. Calcule son ratio de Sharpe annualisé (taux sans "
               "risque nul, écart-type avec ddof=1).",
         "en": f"Monthly returns of a strategy: {listing}. Compute its annualised Sharpe ratio (zero risk-free "
               "rate, standard deviation with ddof=1)."},
        {"sharpe": round(sr, 4)}, {"sharpe": {"fr": "Sharpe annualisé", "en": "annualised Sharpe"}},
        {"sharpe": 0.01},
        {"fr": f"Moyenne = {_fmt(mean)}, écart-type = {_fmt(sd)} ; Sharpe mensuel = {_fmt(mean / sd)} ; "
               f"annualisé : × √12 = {_fmt(sr)}.",
         "en": f"Mean = {_fmt(mean)}, standard deviation = {_fmt(sd)}; monthly Sharpe = {_fmt(mean / sd)}; "
               f"annualised: × √12 = {_fmt(sr)}."},
        {"returns": r.tolist()},
    )


def _gradient(rng: np.random.Generator, seed: int) -> Exercise:
    a, b, c = (int(v) for v in rng.integers(-4, 5, 3))
    x0 = float(rng.integers(-3, 4))
    x = Tensor(np.array(x0), requires_grad=True)
    y = (x**3) * a + (x**2) * b + x * c
    y.backward()
    g = float(np.asarray(x.grad))
    return Exercise(
        "gradient", seed, "05",
        {"fr": f"Soit f(x) = {a}·x³ + {b}·x² + {c}·x. Calcule f'(x) en x = {x0:g}.",
         "en": f"Let f(x) = {a}·x³ + {b}·x² + {c}·x. Compute f'(x) at x = {x0:g}."},
        {"grad": g}, {"grad": {"fr": "f'(x)", "en": "f'(x)"}}, {"grad": 1e-6},
        {"fr": f"f'(x) = {3 * a}·x² + {2 * b}·x + {c} ; en x = {x0:g} : {3 * a}·{x0 * x0:g} + {2 * b}·{x0:g} + {c} "
               f"= {g:g} (l'autograd de models/ donne la même valeur).",
         "en": f"f'(x) = {3 * a}·x² + {2 * b}·x + {c}; at x = {x0:g}: {3 * a}·{x0 * x0:g} + {2 * b}·{x0:g} + {c} "
               f"= {g:g} (models/'s autograd gives the same value)."},
        {"a": a, "b": b, "c": c, "x": x0},
    )


def _adam(rng: np.random.Generator, seed: int) -> Exercise:
    w0 = float(np.round(rng.uniform(-1, 1), 2))
    g = float(np.round(rng.uniform(-2, 2), 2)) or 0.5
    lr = float(rng.choice([0.1, 0.01, 0.001]))
    p = Tensor(np.array([w0]), requires_grad=True)
    opt = Adam([p], lr=lr)
    p.grad = np.array([g])
    opt.step()
    w1 = float(p.data[0])
    m, v = 0.1 * g, 0.001 * g * g
    return Exercise(
        "adam", seed, "23",
        {"fr": f"Premier pas d'Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, lr = {lr:g}) sur un poids w = {w0:g} de "
               f"gradient g = {g:g}. Que vaut w après le pas ?",
         "en": f"First Adam step (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, lr = {lr:g}) on a weight w = {w0:g} with "
               f"gradient g = {g:g}. What is w after the step?"},
        {"w": round(w1, 8)}, {"w": {"fr": "w après le pas", "en": "w after the step"}}, {"w": 1e-6},
        {"fr": f"m = 0.1·g = {m:g}, v = 0.001·g² = {v:g} ; corrections du biais au pas 1 : m̂ = m/0.1 = {g:g}, "
               f"v̂ = v/0.001 = {g * g:g} ; w ← w − lr·m̂/(√v̂ + ε) = {w0:g} − {lr:g}·sign(g) ≈ {w1:.6f}. "
               "Au premier pas, Adam avance de lr dans le sens opposé au gradient, quelle que soit sa taille.",
         "en": f"m = 0.1·g = {m:g}, v = 0.001·g² = {v:g}; bias corrections at step 1: m̂ = m/0.1 = {g:g}, "
               f"v̂ = v/0.001 = {g * g:g}; w ← w − lr·m̂/(√v̂ + ε) = {w0:g} − {lr:g}·sign(g) ≈ {w1:.6f}. "
               "On its first step Adam moves by lr against the gradient, whatever its size."},
        {"w0": w0, "g": g, "lr": lr},
    )


def _attention(rng: np.random.Generator, seed: int) -> Exercise:
    q = rng.integers(-2, 3, (1, 2)).astype(float)
    k = rng.integers(-2, 3, (3, 2)).astype(float)
    out, w = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(np.eye(3)))
    weights = np.asarray(w.data)[0]
    scores = (k @ q[0]) / math.sqrt(2)
    return Exercise(
        "attention", seed, "27",
        {"fr": f"Une requête q = {q[0].tolist()} et trois clés k₁ = {k[0].tolist()}, k₂ = {k[1].tolist()}, "
               f"k₃ = {k[2].tolist()} (d_k = 2). Calcule les poids d'attention softmax(q·kᵢ/√d_k).",
         "en": f"A query q = {q[0].tolist()} and three keys k₁ = {k[0].tolist()}, k₂ = {k[1].tolist()}, "
               f"k₃ = {k[2].tolist()} (d_k = 2). Compute the attention weights softmax(q·kᵢ/√d_k)."},
        {f"w{i + 1}": round(float(weights[i]), 4) for i in range(3)},
        {f"w{i + 1}": {"fr": f"poids {i + 1}", "en": f"weight {i + 1}"} for i in range(3)},
        {f"w{i + 1}": 2e-3 for i in range(3)},
        {"fr": "Scores q·kᵢ/√2 = " + ", ".join(_fmt(s, 3) for s in scores) + " ; softmax (exponentielle puis "
               "division par la somme) : " + ", ".join(_fmt(x, 4) for x in weights) + " (somme 1).",
         "en": "Scores q·kᵢ/√2 = " + ", ".join(_fmt(s, 3) for s in scores) + "; softmax (exponentiate, then "
               "divide by the sum): " + ", ".join(_fmt(x, 4) for x in weights) + " (sum 1)."},
        {"q": q[0].tolist(), "k": k.tolist()},
    )


def _garch(rng: np.random.Generator, seed: int) -> Exercise:
    omega = float(np.round(rng.uniform(0.01, 0.05), 3))
    alpha = float(np.round(rng.uniform(0.05, 0.12), 2))
    beta = float(np.round(rng.uniform(0.8, 0.92 - alpha + 0.05), 2))
    eps = float(np.round(rng.normal(0, 1.5), 2))
    s2 = float(np.round(rng.uniform(0.5, 2.0), 2))
    nxt = _garch_step(omega, alpha, beta, eps, s2)
    return Exercise(
        "garch", seed, "37",
        {"fr": f"GARCH(1,1) avec ω = {omega:g}, α = {alpha:g}, β = {beta:g}. Aujourd'hui le choc vaut ε_t = {eps:g} "
               f"(en %) et la variance σ²_t = {s2:g}. Que vaut la variance σ²_(t+1) ?",
         "en": f"GARCH(1,1) with ω = {omega:g}, α = {alpha:g}, β = {beta:g}. Today's shock is ε_t = {eps:g} "
               f"(in %) and the variance σ²_t = {s2:g}. What is the variance σ²_(t+1)?"},
        {"var": round(nxt, 6)}, {"var": {"fr": "σ²(t+1)", "en": "σ²(t+1)"}}, {"var": 1e-4},
        {"fr": f"σ²_(t+1) = ω + α·ε_t² + β·σ²_t = {omega:g} + {alpha:g}·{eps * eps:.4f} + {beta:g}·{s2:g} = {nxt:.4f}. "
               f"Persistance α + β = {alpha + beta:.2f}.",
         "en": f"σ²_(t+1) = ω + α·ε_t² + β·σ²_t = {omega:g} + {alpha:g}·{eps * eps:.4f} + {beta:g}·{s2:g} = {nxt:.4f}. "
               f"Persistence α + β = {alpha + beta:.2f}."},
        {"omega": omega, "alpha": alpha, "beta": beta, "eps": eps, "sigma2": s2},
    )


def _garch_step(omega: float, alpha: float, beta: float, eps: float, s2: float) -> float:
    """One step of the GARCH(1,1) recursion: sigma2_(t+1) = omega + alpha * eps_t^2 + beta * sigma2_t."""
    return omega + alpha * eps * eps + beta * s2


def _kupiec(rng: np.random.Generator, seed: int) -> Exercise:
    n = int(rng.choice([250, 500]))
    x = int(rng.integers(0, 12))
    res = kupiec_pof(x, n, 0.99)
    return Exercise(
        "kupiec", seed, "37",
        {"fr": f"Sur {n} jours, une VaR à 99 % a été dépassée {x} fois. Calcule la statistique LR de Kupiec (POF) "
               "et sa p-value (χ² à 1 degré de liberté).",
         "en": f"Over {n} days, a 99 % VaR was exceeded {x} times. Compute Kupiec's LR statistic (POF) and its "
               "p-value (χ² with 1 degree of freedom)."},
        {"lr": round(res["lr"], 4), "p": round(res["p_value"], 4)},
        {"lr": {"fr": "LR", "en": "LR"}, "p": {"fr": "p-value", "en": "p-value"}}, {"lr": 0.01, "p": 0.002},
        {"fr": f"Attendu : {n}·1 % = {n * 0.01:g} dépassements ; π̂ = {x}/{n}. LR = −2[ln L(p) − ln L(π̂)] = "
               f"{res['lr']:.4f} ; p = P(χ²₁ > LR) = {res['p_value']:.4f}"
               + (" : on rejette la VaR à 5 %." if res["p_value"] < 0.05 else " : pas de rejet à 5 %."),
         "en": f"Expected: {n}·1 % = {n * 0.01:g} exceedances; π̂ = {x}/{n}. LR = −2[ln L(p) − ln L(π̂)] = "
               f"{res['lr']:.4f}; p = P(χ²₁ > LR) = {res['p_value']:.4f}"
               + (": the VaR is rejected at 5 %." if res["p_value"] < 0.05 else ": not rejected at 5 %.")},
        {"n": n, "exceedances": x, "level": 0.99},
    )


GENERATORS: dict[str, Callable[[np.random.Generator, int], Exercise]] = {
    "var_es": _var_es, "sharpe": _sharpe, "gradient": _gradient, "adam": _adam, "attention": _attention,
    "garch": _garch, "kupiec": _kupiec,
}


def generate(kind: str, seed: int | None = None) -> Exercise:
    """A fresh exercise of this kind (``seed`` makes it reproducible)."""
    if kind not in GENERATORS:
        raise ValueError(f"unknown exercise kind {kind!r}; choose one of {', '.join(GENERATORS)}")
    seed = int(np.random.default_rng().integers(1_000_000)) if seed is None else seed
    return GENERATORS[kind](np.random.default_rng(seed), seed)


def grade_exercise(ex: Exercise, responses: dict[str, str], lang: str = "fr") -> ExerciseGrade:
    """Grade every field (a QuizInputError says which one is not a number); the explanation comes with it."""
    per = {}
    for name, value in ex.answers.items():
        got = parse_number(str(responses.get(name, "")), "en" if lang == "en" else "fr")
        per[name] = abs(got - value) <= ex.tolerance[name] + 1e-12
    return ExerciseGrade(all(per.values()), per, ex.explanation["en" if lang == "en" else "fr"])
