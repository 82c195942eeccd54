"""Vectorised backtests without look-ahead, parameter sweeps, walk-forward and the deflated Sharpe ratio.

Timing convention (look-ahead free by construction): a signal :math:`s_t` is computed with the close of day t;
the position :math:`w_{t+1} = s_t \\cdot k_t` (``lag=1``) is first held on day t+1 and earns
:math:`R_{t+1} = P_{t+1}/P_t - 1`; equivalently the order is filled at the close of t as a market-on-close
order (backtesting.py's ``trade_on_close=True``). ``lag=2`` fills at the close of t+1 instead. Costs and
slippage, in basis points of traded notional, are charged on the day the new position starts:

.. math:: R^{strat}_t = w_t R_t - \\frac{c + s}{10^4}\\,|w_t - w_{t-1}|

Sizing :math:`k_t`: ``"fixed"`` (a fraction of equity) or ``"vol-target"``
(:math:`k_t = \\min(L, \\sigma^* / \\hat\\sigma_t)` with :math:`\\hat\\sigma_t` the annualised rolling
volatility
of the asset up to t).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from finance.errors import InvalidChoiceError, InvalidParameterError, OverfittingWarning
from finance.metrics import performance_summary
from finance.returns import TRADING_DAYS
from finance.strategies import sma_matrix

Sizing = Literal["fixed", "vol-target"]
EULER_GAMMA = 0.5772156649015329


@dataclass
class BacktestResult:
    """Outcome of :func:`backtest`: daily series (from the second price on) and summary statistics."""

    returns: pd.Series
    positions: pd.Series
    costs: pd.Series
    asset_returns: pd.Series
    n_trades: int
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def equity(self) -> pd.Series:
        """Growth of 1: :math:`\\prod (1 + R^{strat})`."""
        return (1.0 + self.returns).cumprod()


def _close(prices: pd.Series | pd.DataFrame) -> pd.Series:
    close = prices["close"] if isinstance(prices, pd.DataFrame) else prices
    if len(close) < 3:
        raise InvalidParameterError(f"Need at least 3 prices to backtest, got {len(close)}.")
    if close.isna().any() or (close <= 0).any():
        raise InvalidParameterError(
            "Prices contain NaN or non-positive values; clean them with finance.data.validate_prices."
        )
    return close.astype(float)


def count_trades(positions: np.ndarray) -> np.ndarray | int:
    """Number of entries: days whose position is non-zero with a sign different from the day before.

    Works on a vector ``(T,)`` or column-wise on a matrix ``(T, P)``.
    """
    sgn = np.sign(positions)
    prev = np.concatenate([np.zeros_like(sgn[:1]), sgn[:-1]])
    n = ((sgn != 0) & (sgn != prev)).sum(axis=0)
    return int(n) if np.ndim(n) == 0 else n


def position_sizes(
    close: pd.Series,
    *,
    sizing: Sizing = "fixed",
    fraction: float = 1.0,
    vol_target: float = 0.10,
    vol_window: int = 20,
    max_leverage: float = 2.0,
) -> pd.Series:
    """Size multiplier :math:`k_t` known at the close of t (see module docstring)."""
    if not 0 < fraction <= max_leverage:
        raise InvalidParameterError(f"fraction must be in (0, max_leverage={max_leverage}], got {fraction}.")
    if sizing == "fixed":
        return pd.Series(fraction, index=close.index)
    if sizing == "vol-target":
        if vol_target <= 0 or vol_window < 2:
            raise InvalidParameterError(
                "vol_target must be > 0 (annual, e.g. 0.10) and vol_window >= 2 days."
            )
        vol = close.pct_change().rolling(vol_window).std() * np.sqrt(TRADING_DAYS)
        k = (vol_target / vol.where(vol > 0)).clip(upper=max_leverage)
        return k.fillna(0.0)
    raise InvalidChoiceError("sizing", sizing, ("fixed", "vol-target"))


def backtest(
    prices: pd.Series | pd.DataFrame,
    signal: pd.Series,
    *,
    cost_bps: float = 5.0,
    slippage_bps: float = 0.0,
    sizing: Sizing = "fixed",
    fraction: float = 1.0,
    vol_target: float = 0.10,
    vol_window: int = 20,
    max_leverage: float = 2.0,
    lag: int = 1,
) -> BacktestResult:
    """Backtest a signal on daily closes.

    Parameters
    ----------
    prices : Series or DataFrame
        Closes (a DataFrame must have a ``close`` column).
    signal : Series
        Target direction in [-1, 1] known at each close (see :mod:`finance.strategies`).
    cost_bps, slippage_bps : float
        Commission and slippage in basis points of the traded notional (5 bps = 0.05 %).
    sizing : {"fixed", "vol-target"}
        Fixed fraction of equity, or volatility targeting (``vol_target`` annual, ``vol_window`` days,
        leverage capped at ``max_leverage``).
    lag : int
        Days between the signal's close and the first return it earns (>= 1; 1 = next day).

    Examples
    --------
    >>> p = pd.Series([100.0, 101, 102, 101])
    >>> r = backtest(p, pd.Series(1.0, index=p.index), cost_bps=0)
    >>> round(float(r.equity.iloc[-1]), 6), r.n_trades  # long from day 1: 101 / 100
    (1.01, 1)
    """
    if lag < 1:
        raise InvalidParameterError(
            f"lag must be >= 1 day (0 would trade on the close that made the signal), got {lag}."
        )
    if cost_bps < 0 or slippage_bps < 0:
        raise InvalidParameterError(
            f"cost_bps and slippage_bps must be >= 0, got {cost_bps}, {slippage_bps}."
        )
    close = _close(prices)
    k = position_sizes(
        close,
        sizing=sizing,
        fraction=fraction,
        vol_target=vol_target,
        vol_window=vol_window,
        max_leverage=max_leverage,
    )
    target = signal.reindex(close.index).fillna(0.0).clip(-1.0, 1.0) * k
    pos = target.shift(lag).fillna(0.0)
    asset = close.pct_change().fillna(0.0)
    costs = pos.diff().fillna(pos).abs() * (cost_bps + slippage_bps) / 1e4
    strat = pos * asset - costs
    sl = slice(1, None)
    res = BacktestResult(
        strat.iloc[sl], pos.iloc[sl], costs.iloc[sl], asset.iloc[sl], int(count_trades(pos.to_numpy()))
    )
    res.stats = {
        **performance_summary(res.returns, res.positions),
        "n_trades": float(res.n_trades),
        "total_costs": float(res.costs.sum()),
    }
    return res


# -- sweeps --------------------------------------------------------------------------------------------------
@dataclass
class Sweep:
    """All SMA pairs at once: ``table`` (one row per pair) and the daily strategy returns ``(T, P)``."""

    table: pd.DataFrame
    returns: np.ndarray
    index: pd.DatetimeIndex


def sma_sweep(
    prices: pd.Series | pd.DataFrame,
    fast: list[int] | np.ndarray,
    slow: list[int] | np.ndarray,
    *,
    cost_bps: float = 5.0,
    allow_short: bool = False,
) -> Sweep:
    """SMA-crossover backtests for every pair ``fast < slow`` as array operations (no loop over pairs).

    Same timing and costs as :func:`backtest` with :func:`finance.strategies.sma_cross`; the Sharpe ratio of
    each pair is annualised (:math:`\\sqrt{252}`).
    """
    close = _close(prices)
    f, s = np.meshgrid(np.asarray(fast, dtype=int), np.asarray(slow, dtype=int), indexing="ij")
    keep = f < s
    f, s = f[keep], s[keep]
    if len(f) == 0:
        raise InvalidParameterError("No pair with fast < slow; give fast windows shorter than slow windows.")
    if f.min() < 1:
        raise InvalidParameterError("Windows must be >= 1 trading day.")
    wins = np.unique(np.concatenate([f, s]))
    sma = sma_matrix(close.to_numpy(), wins)  # (T, W)
    fi, si = np.searchsorted(wins, f), np.searchsorted(wins, s)
    valid = ~np.isnan(sma[:, si])  # (T, P)
    with np.errstate(invalid="ignore"):
        up = sma[:, fi] > sma[:, si]
    sig = np.where(valid, np.where(up, 1.0, -1.0 if allow_short else 0.0), 0.0)
    pos = np.vstack([np.zeros((1, sig.shape[1])), sig[:-1]])  # lag 1, (T, P)
    asset = np.concatenate([[0.0], np.diff(close.to_numpy()) / close.to_numpy()[:-1]])
    dpos = np.abs(np.diff(pos, axis=0, prepend=0.0))
    rets = (pos * asset[:, None] - dpos * cost_bps / 1e4)[1:]  # (T-1, P)
    mean, sd = rets.mean(axis=0), rets.std(axis=0, ddof=1)
    sharpe = np.divide(mean, sd, out=np.zeros_like(mean), where=sd > 0) * np.sqrt(TRADING_DAYS)
    eq = np.cumprod(1.0 + rets, axis=0)
    mdd = (1.0 - eq / np.maximum(np.maximum.accumulate(eq, axis=0), 1.0)).max(axis=0)
    table = pd.DataFrame(
        {
            "fast": f,
            "slow": s,
            "sharpe": sharpe,
            "total_return": eq[-1] - 1.0,
            "cagr": eq[-1] ** (TRADING_DAYS / len(rets)) - 1.0,
            "max_drawdown": mdd,
            "n_trades": count_trades(pos),
        }
    )
    return Sweep(table, rets, pd.DatetimeIndex(close.index[1:]))


# -- overfitting guard ---------------------------------------------------------------------------------------
def expected_max_sharpe(n_trials: int, sharpe_variance: float) -> float:
    """Expected maximum of ``n_trials`` Sharpe ratios under no skill (Bailey & López de Prado 2014).

    .. math:: SR_0 = \\sqrt{V}\\left[(1-\\gamma)\\Phi^{-1}(1 - \\tfrac1N) + \\gamma\\Phi^{-1}(1 -
              \\tfrac1{Ne})\\right]
    """
    if n_trials < 2:
        return 0.0
    z1 = stats.norm.ppf(1.0 - 1.0 / n_trials)
    z2 = stats.norm.ppf(1.0 - 1.0 / (n_trials * np.e))
    return float(np.sqrt(sharpe_variance) * ((1.0 - EULER_GAMMA) * z1 + EULER_GAMMA * z2))


def deflated_sharpe_ratio(returns: pd.Series | np.ndarray, trial_sharpes: np.ndarray) -> float:
    """Probability that the best strategy's true Sharpe exceeds what luck gives over the trials.

    ``trial_sharpes`` are the per-period (not annualised) Sharpe ratios of all trials; ``returns`` are the
    daily
    returns of the selected one.

    .. math:: DSR = \\Phi\\left(\\frac{(\\widehat{SR} - SR_0)\\sqrt{T-1}}
              {\\sqrt{1 - \\hat\\gamma_3 \\widehat{SR} + \\frac{\\hat\\gamma_4 -
              1}{4}\\widehat{SR}^2}}\\right)

    with :math:`\\hat\\gamma_3` the skewness and :math:`\\hat\\gamma_4` the (non-excess) kurtosis of
    ``returns``.
    """
    r = np.asarray(returns, dtype=float)
    sd = r.std(ddof=1)
    if len(r) < 3 or sd == 0:
        return 0.0
    sr = r.mean() / sd
    sr0 = expected_max_sharpe(len(trial_sharpes), float(np.var(trial_sharpes, ddof=1)))
    g3 = float(stats.skew(r))
    g4 = float(stats.kurtosis(r, fisher=False))
    denom = np.sqrt(max(1.0 - g3 * sr + (g4 - 1.0) / 4.0 * sr**2, 1e-12))
    return float(stats.norm.cdf((sr - sr0) * np.sqrt(len(r) - 1) / denom))


def overfitting_report(sweep: Sweep, *, threshold: float = 0.95) -> dict[str, float]:
    """Best pair of a sweep, the number of trials and its deflated Sharpe ratio.

    Warns with :class:`~finance.errors.OverfittingWarning` when the DSR is below ``threshold``: the best
    in-sample result is then plausibly the luck of having tried many parameters.
    """
    best = int(np.argmax(sweep.table["sharpe"].to_numpy()))
    per_period = sweep.table["sharpe"].to_numpy() / np.sqrt(TRADING_DAYS)
    dsr = deflated_sharpe_ratio(sweep.returns[:, best], per_period)
    row = sweep.table.iloc[best]
    if dsr < threshold:
        warnings.warn(
            f"Best of {len(per_period)} trials (fast={int(row.fast)}, slow={int(row.slow)}, "
            f"Sharpe {row.sharpe:.2f}) has a "
            f"deflated Sharpe ratio of {dsr:.2f} < {threshold}: likely luck. Validate out of sample "
            "(walk_forward_sma) before trusting it.",
            OverfittingWarning,
            stacklevel=2,
        )
    return {
        "n_trials": float(len(per_period)),
        "best_fast": float(row.fast),
        "best_slow": float(row.slow),
        "best_sharpe": float(row.sharpe),
        "deflated_sharpe": dsr,
    }


# -- walk-forward --------------------------------------------------------------------------------------------
def walk_forward_splits(n: int, train: int, test: int, step: int | None = None) -> list[tuple[slice, slice]]:
    """Rolling (train, test) index slices: train on ``[a, a+train)``, test on ``[a+train, a+train+test)``."""
    if train < 2 or test < 1:
        raise InvalidParameterError(f"train must be >= 2 and test >= 1 observations, got {train}, {test}.")
    step = step or test
    out = []
    a = 0
    while a + train < n:
        out.append((slice(a, a + train), slice(a + train, min(a + train + test, n))))
        a += step
    if not out:
        raise InvalidParameterError(f"Series of {n} observations is shorter than train={train} + 1.")
    return out


def walk_forward_sma(
    prices: pd.Series | pd.DataFrame,
    fast: list[int],
    slow: list[int],
    *,
    train: int = 756,
    test: int = 252,
    cost_bps: float = 5.0,
) -> tuple[pd.Series, pd.DataFrame]:
    """Pick the best SMA pair on each training window (Sharpe), apply it on the next test window.

    Returns the concatenated out-of-sample daily returns and a table of the chosen pair per fold.
    """
    sw = sma_sweep(prices, fast, slow, cost_bps=cost_bps)
    oos, rows = [], []
    for tr, te in walk_forward_splits(len(sw.index), train, test):
        r = sw.returns[tr]
        sharpe = r.mean(axis=0) / np.where(r.std(axis=0, ddof=1) > 0, r.std(axis=0, ddof=1), np.inf)
        j = int(np.argmax(sharpe))
        oos.append(pd.Series(sw.returns[te, j], index=sw.index[te]))
        rows.append(
            {
                "test_start": sw.index[te][0],
                "fast": int(sw.table.fast[j]),
                "slow": int(sw.table.slow[j]),
                "train_sharpe": float(sharpe[j] * np.sqrt(TRADING_DAYS)),
            }
        )
    return pd.concat(oos), pd.DataFrame(rows)
