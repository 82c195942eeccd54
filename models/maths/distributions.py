"""Bernoulli, binomial, Poisson and normal distributions; Monte Carlo; tests and confidence intervals.

Sampling uses only uniform draws from ``rng.random`` (inverse transform, Box–Muller), so every method is
visible. Tests follow Student (1908), Welch (1947) and Pearson (1900).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from models.errors import DataError
from models.maths.stats import ArrayLike, _arr, _invert, chi2_cdf, mean, t_cdf, t_ppf, variance


class Normal:
    r"""Normal :math:`\mathcal N(\mu, \sigma^2)`: :math:`\phi(x) = e^{-(x-\mu)^2/2\sigma^2} /
    \sigma\sqrt{2\pi}`."""

    def __init__(self, mu: float = 0.0, sigma: float = 1.0) -> None:
        if sigma <= 0:
            raise ValueError(f"sigma must be positive, got {sigma}")
        self.mu, self.sigma = mu, sigma

    def pdf(self, x: float) -> float:
        z = (x - self.mu) / self.sigma
        return math.exp(-0.5 * z * z) / (self.sigma * math.sqrt(2 * math.pi))

    def cdf(self, x: float) -> float:
        r""":math:`\Phi(z) = \tfrac12 (1 + \mathrm{erf}(z/\sqrt2))`."""
        return 0.5 * math.erfc(-(x - self.mu) / (self.sigma * math.sqrt(2)))

    def ppf(self, q: float) -> float:
        if not 0 < q < 1:
            raise ValueError(f"q must be in (0, 1), got {q}")
        return _invert(self.cdf, q, self.mu - 10 * self.sigma, self.mu + 10 * self.sigma)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        r"""Box–Muller: :math:`z = \sqrt{-2\ln u_1}\cos(2\pi u_2)` for uniform :math:`u_1, u_2`."""
        u1, u2 = 1.0 - rng.random(n), rng.random(n)
        return self.mu + self.sigma * np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2)


class _Discrete:
    """pmf/cdf/ppf/sample for a distribution on 0, 1, 2, ... given its ``pmf``."""

    support_max: int

    def pmf(self, k: int) -> float:
        raise NotImplementedError

    def cdf(self, k: float) -> float:
        return min(1.0, sum(self.pmf(i) for i in range(int(math.floor(k)) + 1))) if k >= 0 else 0.0

    def ppf(self, q: float) -> int:
        """Smallest ``k`` with ``cdf(k) >= q``."""
        total = 0.0
        for k in range(self.support_max + 1):
            total += self.pmf(k)
            if total >= q - 1e-12:
                return k
        return self.support_max

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Inverse transform: the smallest ``k`` whose cdf exceeds a uniform draw."""
        cdf = np.cumsum([self.pmf(k) for k in range(self.support_max + 1)])
        return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), self.support_max)


class Bernoulli(_Discrete):
    def __init__(self, p: float) -> None:
        if not 0 <= p <= 1:
            raise ValueError(f"p must be in [0, 1], got {p}")
        self.p, self.support_max = p, 1

    def pmf(self, k: int) -> float:
        return self.p if k == 1 else (1 - self.p if k == 0 else 0.0)


class Binomial(_Discrete):
    r""":math:`P(K=k) = \binom{n}{k} p^k (1-p)^{n-k}`."""

    def __init__(self, n: int, p: float) -> None:
        if n < 0 or not 0 <= p <= 1:
            raise ValueError(f"need n >= 0 and p in [0, 1], got n={n}, p={p}")
        self.n, self.p, self.support_max = n, p, n

    def pmf(self, k: int) -> float:
        if not 0 <= k <= self.n:
            return 0.0
        return math.comb(self.n, k) * self.p**k * (1 - self.p) ** (self.n - k)


class Poisson(_Discrete):
    r""":math:`P(K=k) = e^{-\lambda} \lambda^k / k!` (support truncated where the tail is below 1e-16)."""

    def __init__(self, lam: float) -> None:
        if lam <= 0:
            raise ValueError(f"lam must be positive, got {lam}")
        self.lam = lam
        self.support_max = int(lam + 20 * math.sqrt(lam) + 30)

    def pmf(self, k: int) -> float:
        if k < 0:
            return 0.0
        return math.exp(-self.lam + k * math.log(self.lam) - math.lgamma(k + 1))


@dataclass(frozen=True)
class TestResult:
    statistic: float
    pvalue: float
    df: float


def monte_carlo(
    f: Callable[[np.ndarray], np.ndarray],
    sampler: Callable[[int, np.random.Generator], np.ndarray],
    n: int,
    rng: np.random.Generator,
) -> tuple[float, float]:
    r"""Estimate :math:`E[f(X)]` by :math:`\frac1n\sum f(x_i)`; returns (estimate, standard error
    :math:`s/\sqrt n`).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> inside = lambda u: 4.0 * (u[:, 0] ** 2 + u[:, 1] ** 2 <= 1)
    >>> est, se = monte_carlo(inside, lambda n, r: r.random((n, 2)), 100_000, rng)
    >>> abs(est - math.pi) < 4 * se
    True
    """
    values = np.asarray(f(sampler(n, rng)), dtype=float)
    return float(values.mean()), float(values.std(ddof=1) / math.sqrt(n))


def ttest_1samp(x: ArrayLike, mu0: float) -> TestResult:
    r"""One-sample t-test, :math:`t = (\bar x - \mu_0) / (s/\sqrt n)`, two-sided."""
    a = _arr(x, 2)
    t = (mean(a) - mu0) / math.sqrt(variance(a) / a.size)
    df = a.size - 1
    return TestResult(t, 2 * (1 - t_cdf(abs(t), df)), df)


def ttest_ind(x: ArrayLike, y: ArrayLike, *, equal_var: bool = False) -> TestResult:
    r"""Two-sample t-test: Welch's (default) with Welch–Satterthwaite df, or pooled variance."""
    a, b = _arr(x, 2), _arr(y, 2)
    va, vb, na, nb = variance(a), variance(b), a.size, b.size
    df: float
    if equal_var:
        df = na + nb - 2
        sp = ((na - 1) * va + (nb - 1) * vb) / df
        se = math.sqrt(sp * (1 / na + 1 / nb))
    else:
        se = math.sqrt(va / na + vb / nb)
        df = (va / na + vb / nb) ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    t = (mean(a) - mean(b)) / se
    return TestResult(t, 2 * (1 - t_cdf(abs(t), df)), df)


def chi2_test(observed: np.ndarray | list, expected: np.ndarray | list | None = None) -> TestResult:
    r"""Pearson's :math:`\chi^2 = \sum (O - E)^2 / E`.

    A 1-D ``observed`` is a goodness-of-fit test (uniform ``expected`` by default, df = k - 1); a 2-D
    table is a
    test of independence with :math:`E_{ij} = r_i c_j / n` and df = (r - 1)(c - 1).
    """
    obs = np.asarray(observed, dtype=float)
    if obs.ndim == 2:
        exp = np.outer(obs.sum(axis=1), obs.sum(axis=0)) / obs.sum()
        df = (obs.shape[0] - 1) * (obs.shape[1] - 1)
    else:
        exp = (
            np.full_like(obs, obs.sum() / obs.size) if expected is None else np.asarray(expected, dtype=float)
        )
        if exp.shape != obs.shape:
            raise DataError(f"observed {obs.shape} and expected {exp.shape} must have the same shape")
        df = obs.size - 1
    if np.any(exp <= 0):
        raise DataError("expected counts must be positive; merge sparse categories")
    stat = float(((obs - exp) ** 2 / exp).sum())
    return TestResult(stat, 1 - chi2_cdf(stat, df), df)


def confidence_interval(x: ArrayLike, level: float = 0.95) -> tuple[float, float]:
    r"""Student interval for the mean, :math:`\bar x \pm t_{1-\alpha/2, n-1}\, s / \sqrt n`."""
    a = _arr(x, 2)
    half = t_ppf(0.5 + level / 2, a.size - 1) * math.sqrt(variance(a) / a.size)
    return mean(a) - half, mean(a) + half


@dataclass(frozen=True)
class LinearFit:
    slope: float
    intercept: float
    r: float
    pvalue: float
    stderr: float


def linear_regression(x: ArrayLike, y: ArrayLike) -> LinearFit:
    r"""Least squares line :math:`y = a + b x`, :math:`b = S_{xy}/S_{xx}`, :math:`a = \bar y - b \bar x`.

    ``pvalue`` tests :math:`b = 0` with :math:`t = b / \mathrm{se}(b)` on n - 2 degrees of freedom.
    """
    a, b = _arr(x, 3), _arr(y, 3)
    if a.size != b.size:
        raise DataError(f"x and y must have the same length, got {a.size} and {b.size}")
    mx, my = mean(a), mean(b)
    sxx, syy, sxy = ((a - mx) ** 2).sum(), ((b - my) ** 2).sum(), ((a - mx) * (b - my)).sum()
    slope = sxy / sxx
    r = sxy / math.sqrt(sxx * syy)
    df = a.size - 2
    stderr = math.sqrt((1 - r * r) * syy / sxx / df)
    t = slope / stderr if stderr > 0 else math.inf
    return LinearFit(
        float(slope), float(my - slope * mx), float(r), 2 * (1 - t_cdf(abs(t), df)), float(stderr)
    )
