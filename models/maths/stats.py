"""Statistics from scratch: descriptive statistics, distributions, tests, Monte Carlo, simple regression.

Only ``math`` and NumPy arrays are used; ``scipy.stats`` is the reference in the tests. The Student and
chi-square distributions need the regularised incomplete beta and gamma functions, computed by the
continued fractions and series of *Numerical Recipes* (Press et al., 3rd ed., §6.2 and §6.4).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from models.errors import ConvergenceError, DataError

ArrayLike = Sequence[float] | np.ndarray


def _arr(x: ArrayLike, min_len: int = 1) -> np.ndarray:
    a = np.asarray(x, dtype=float).ravel()
    if a.size < min_len:
        raise DataError(f"need at least {min_len} observations, got {a.size}")
    return a


# ---------------------------------------------------------------------- descriptive
def mean(x: ArrayLike) -> float:
    a = _arr(x)
    return float(sum(a) / a.size)


def variance(x: ArrayLike, ddof: int = 1) -> float:
    r""":math:`s^2 = \frac{1}{n - \mathrm{ddof}} \sum_i (x_i - \bar x)^2` (unbiased by default)."""
    a = _arr(x, ddof + 1)
    m = mean(a)
    return float(sum((v - m) ** 2 for v in a) / (a.size - ddof))


def std(x: ArrayLike, ddof: int = 1) -> float:
    return math.sqrt(variance(x, ddof))


def median(x: ArrayLike) -> float:
    return quantile(x, 0.5)


def quantile(x: ArrayLike, q: float) -> float:
    """Quantile by linear interpolation between order statistics (NumPy's default, Hyndman–Fan type 7)."""
    if not 0 <= q <= 1:
        raise ValueError(f"q must be in [0, 1], got {q}")
    s = sorted(_arr(x))
    pos = q * (len(s) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return float(s[lo] + (pos - lo) * (s[hi] - s[lo]))


def skewness(x: ArrayLike) -> float:
    r"""Sample skewness :math:`m_3 / m_2^{3/2}` (biased moments, as ``scipy.stats.skew``)."""
    a = _arr(x, 2)
    d = a - mean(a)
    return float((d**3).mean() / (d**2).mean() ** 1.5)


def kurtosis(x: ArrayLike) -> float:
    r"""Excess kurtosis :math:`m_4 / m_2^2 - 3` (as ``scipy.stats.kurtosis``)."""
    a = _arr(x, 2)
    d = a - mean(a)
    return float((d**4).mean() / (d**2).mean() ** 2 - 3.0)


def covariance(x: np.ndarray | Sequence[Sequence[float]], ddof: int = 1) -> np.ndarray:
    r"""Covariance matrix of the columns of ``x`` (n samples, d variables): :math:`\frac{1}{n-1} X_c^\top
    X_c`."""
    a = np.asarray(x, dtype=float)
    if a.ndim != 2 or a.shape[0] <= ddof:
        raise DataError(f"covariance needs a 2-D array with more than {ddof} rows, got shape {a.shape}")
    centred = a - a.sum(axis=0) / a.shape[0]
    return centred.T @ centred / (a.shape[0] - ddof)


def correlation(x: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
    r"""Pearson correlation matrix :math:`\rho_{ij} = \Sigma_{ij} / \sqrt{\Sigma_{ii}\Sigma_{jj}}`."""
    cov = covariance(x)
    d = np.sqrt(np.diag(cov))
    return cov / np.outer(d, d)


def describe(x: ArrayLike) -> dict[str, float]:
    """Count, mean, std, min, quartiles, max, skewness and kurtosis of a sample."""
    a = _arr(x, 2)
    return {
        "n": float(a.size),
        "mean": mean(a),
        "std": std(a),
        "min": float(min(a)),
        "q1": quantile(a, 0.25),
        "median": median(a),
        "q3": quantile(a, 0.75),
        "max": float(max(a)),
        "skewness": skewness(a),
        "kurtosis": kurtosis(a),
    }


# ---------------------------------------------------------------------- special functions
def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        for aa in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            return h
    raise ConvergenceError("incomplete beta continued fraction did not converge")


def betainc(a: float, b: float, x: float) -> float:
    r"""Regularised incomplete beta :math:`I_x(a, b)`."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    ln_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(ln_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(ln_front) * _betacf(b, a, 1 - x) / b


def gammainc(a: float, x: float) -> float:
    r"""Regularised lower incomplete gamma :math:`P(a, x)`: series for small ``x``, continued fraction
    else."""
    if x <= 0:
        return 0.0
    ln_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(1000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-16:
                return total * math.exp(ln_front)
        raise ConvergenceError("incomplete gamma series did not converge")
    b, c, d = x + 1 - a, 1e300, 1.0 / (x + 1 - a)
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = 1.0 / (an * d + b)
        c = b + an / c
        h *= d * c
        if abs(d * c - 1) < 1e-16:
            return 1.0 - math.exp(ln_front) * h
    raise ConvergenceError("incomplete gamma continued fraction did not converge")


def _invert(cdf: Callable[[float], float], q: float, lo: float, hi: float) -> float:
    """Solve ``cdf(x) = q`` by bisection on a bracket that is widened until it contains the root."""
    while cdf(lo) > q:
        lo = lo * 2 if lo < 0 else lo - 1
    while cdf(hi) < q:
        hi = hi * 2 if hi > 0 else hi + 1
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if cdf(mid) < q:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-13 * max(1.0, abs(mid)):
            break
    return 0.5 * (lo + hi)


def t_cdf(t: float, df: float) -> float:
    r"""Student's t cdf: :math:`1 - \tfrac12 I_{df/(df+t^2)}(df/2, 1/2)` for :math:`t > 0`."""
    x = df / (df + t * t)
    # near t = 0, x is close to 1: use the symmetric form I_x(a, b) = 1 - I_{1-x}(b, a) with 1-x computed
    # exactly
    tail = 0.5 * (betainc(df / 2, 0.5, x) if x < 0.5 else 1.0 - betainc(0.5, df / 2, t * t / (df + t * t)))
    return 1 - tail if t > 0 else tail


def t_ppf(q: float, df: float) -> float:
    return _invert(lambda v: t_cdf(v, df), q, -10.0, 10.0)


def chi2_cdf(x: float, df: float) -> float:
    return gammainc(df / 2, x / 2)


def chi2_ppf(q: float, df: float) -> float:
    return _invert(lambda v: chi2_cdf(v, df), q, 0.0, max(1.0, 2 * df))
