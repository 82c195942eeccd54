"""Trading signals: target positions in {-1, 0, +1} computed from closes up to and including day t.

A signal value at date t only uses prices up to the close of t; :func:`finance.backtest.backtest` then lags it
so that it is first held on day t+1. Warm-up periods (not enough history) are flat (0).

The registry :data:`STRATEGIES` maps the names used by the CLI, the app and the agent tools
(``buy-hold``, ``sma-cross``, ``momentum``, ``mean-reversion``, ``bollinger``, ``rsi``) to a function and its
default parameters; :func:`make_signal` validates a name and a parameter dict.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from finance.errors import InvalidParameterError, UnknownStrategyError, normalise_name


def sma_matrix(close: np.ndarray, windows: np.ndarray) -> np.ndarray:
    """Simple moving averages of ``close`` for several windows at once, shape ``(T, len(windows))``.

    .. math:: \\text{SMA}_w(t) = \\frac1w \\sum_{s=t-w+1}^{t} P_s  \\quad (\\text{NaN for } t < w - 1)

    Computed from one cumulative sum, so the cost is O(T * len(windows)) whatever the window lengths.
    """
    x = np.asarray(close, dtype=float)
    w = np.asarray(windows, dtype=int)
    cs = np.concatenate([[0.0], np.cumsum(x)])
    t = np.arange(len(x))[:, None]  # (T, 1)
    lo = np.clip(t + 1 - w[None, :], 0, None)  # (T, W)
    out = (cs[t + 1] - cs[lo]) / w[None, :]
    out[t < w[None, :] - 1] = np.nan
    return out


def _check_window(name: str, value: Any, minimum: int = 1) -> int:
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < minimum:
        raise InvalidParameterError(f"{name} must be an integer >= {minimum} (trading days), got {value!r}.")
    return int(value)


def buy_hold(close: pd.Series) -> pd.Series:
    """Always long: +1 on every day."""
    return pd.Series(1.0, index=close.index)


def sma_cross(close: pd.Series, fast: int = 20, slow: int = 50, *, allow_short: bool = False) -> pd.Series:
    """Long while SMA(fast) > SMA(slow); flat (or short if ``allow_short``) otherwise.

    .. math:: s_t = \\begin{cases} +1 & \\text{SMA}_{fast}(t) > \\text{SMA}_{slow}(t) \\\\
              -1 \\text{ or } 0 & \\text{otherwise} \\end{cases}

    Examples
    --------
    >>> p = pd.Series([1.0, 2, 3, 2, 1, 0.5])
    >>> sma_cross(p, fast=1, slow=2).tolist()
    [0.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    """
    fast, slow = _check_window("fast", fast), _check_window("slow", slow)
    if fast >= slow:
        raise InvalidParameterError(
            f"fast ({fast}) must be shorter than slow ({slow}); e.g. fast=20, slow=50."
        )
    sma = sma_matrix(close.to_numpy(), np.array([fast, slow]))
    valid = ~np.isnan(sma[:, 1])
    up = sma[:, 0] > sma[:, 1]
    sig = np.where(valid, np.where(up, 1.0, -1.0 if allow_short else 0.0), 0.0)
    return pd.Series(sig, index=close.index)


def momentum(close: pd.Series, lookback: int = 252, *, allow_short: bool = False) -> pd.Series:
    """Time-series momentum: long if the past ``lookback``-day return is positive.

    .. math:: s_t = \\operatorname{sign}(P_t / P_{t-L} - 1)
    """
    lookback = _check_window("lookback", lookback)
    past = close / close.shift(lookback) - 1.0
    sig = np.where(past > 0, 1.0, np.where(past < 0, -1.0 if allow_short else 0.0, 0.0))
    return pd.Series(np.where(past.isna(), 0.0, sig), index=close.index)


def _hysteresis(
    enter_long: np.ndarray,
    exit_long: np.ndarray,
    enter_short: np.ndarray,
    exit_short: np.ndarray,
    index: pd.Index,
    allow_short: bool,
) -> pd.Series:
    """Stateful positions without a Python loop: events set the state, forward-fill keeps it."""
    long_ev = pd.Series(np.where(enter_long, 1.0, np.where(exit_long, 0.0, np.nan)), index=index)
    pos = long_ev.ffill().fillna(0.0)
    if allow_short:
        short_ev = pd.Series(np.where(enter_short, -1.0, np.where(exit_short, 0.0, np.nan)), index=index)
        pos = pos + short_ev.ffill().fillna(0.0)
    return pos


def mean_reversion(
    close: pd.Series, window: int = 20, entry: float = 1.0, exit: float = 0.0, *, allow_short: bool = True
) -> pd.Series:
    """Z-score mean reversion: long below ``-entry``, short above ``+entry``, out when z crosses ``∓exit``.

    .. math:: z_t = \\frac{P_t - \\text{SMA}_w(t)}{\\text{sd}_w(t)}
    """
    window = _check_window("window", window, 2)
    if not 0.0 <= exit < entry:
        raise InvalidParameterError(
            f"Need 0 <= exit < entry (in standard deviations), got exit={exit}, entry={entry}."
        )
    mu = close.rolling(window).mean()
    sd = close.rolling(window).std(ddof=0)
    z = ((close - mu) / sd.where(sd > 0)).to_numpy()
    with np.errstate(invalid="ignore"):
        return _hysteresis(z < -entry, z >= -exit, z > entry, z <= exit, close.index, allow_short)


def bollinger(
    close: pd.Series, window: int = 20, n_std: float = 2.0, *, allow_short: bool = False
) -> pd.Series:
    """Bollinger bands: buy a close below the lower band SMA - k sd, sell back at the middle band."""
    if n_std <= 0:
        raise InvalidParameterError(f"n_std must be > 0 (band width in standard deviations), got {n_std}.")
    return mean_reversion(close, window, entry=n_std, exit=0.0, allow_short=allow_short)


def rsi(close: pd.Series, window: int = 14) -> pd.Series:
    """Wilder's relative strength index, in [0, 100].

    .. math:: RSI_t = 100 - \\frac{100}{1 + \\overline{G}_t / \\overline{L}_t}, \\quad
              \\overline{G}_t = (1-\\tfrac1n)\\overline{G}_{t-1} + \\tfrac1n \\max(\\Delta P_t, 0)
    """
    window = _check_window("window", window, 2)
    delta = close.diff()
    gain = delta.clip(lower=0).ewm(alpha=1.0 / window, adjust=False, min_periods=window).mean()
    loss = (-delta).clip(lower=0).ewm(alpha=1.0 / window, adjust=False, min_periods=window).mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 100.0 - 100.0 / (1.0 + gain / loss)
    return out.where(~((loss == 0) & gain.notna()), 100.0)


def rsi_strategy(
    close: pd.Series, window: int = 14, lower: float = 30.0, upper: float = 70.0, *, allow_short: bool = False
) -> pd.Series:
    """Long when RSI drops below ``lower``, out (or short) when it rises above ``upper``."""
    if not 0 < lower < upper < 100:
        raise InvalidParameterError(f"Need 0 < lower < upper < 100, got lower={lower}, upper={upper}.")
    r = rsi(close, window).fillna(50.0).to_numpy()  # warm-up: neutral, no event
    return _hysteresis(r < lower, r > upper, r > upper, r < lower, close.index, allow_short)


STRATEGIES: dict[str, Callable[..., pd.Series]] = {
    "buy-hold": buy_hold,
    "sma-cross": sma_cross,
    "momentum": momentum,
    "mean-reversion": mean_reversion,
    "bollinger": bollinger,
    "rsi": rsi_strategy,
}
"""Strategy name -> signal function (parameters and defaults are the function's keyword arguments)."""


_ALIASES = {"buy-and-hold": "buy-hold", "buyhold": "buy-hold", "sma": "sma-cross", "zscore": "mean-reversion"}


def normalise_strategy(name: str) -> str:
    """Canonical strategy name (``sma_cross`` / ``SMA-Cross`` -> ``sma-cross``); raises if unknown."""
    return normalise_name(name, STRATEGIES, aliases=_ALIASES, error=UnknownStrategyError)


def strategy_params(name: str) -> dict[str, Any]:
    """Default parameters of a strategy."""
    sig = inspect.signature(STRATEGIES[normalise_strategy(name)])
    return {k: p.default for k, p in list(sig.parameters.items())[1:]}


def make_signal(name: str, close: pd.Series, params: dict[str, Any] | None = None) -> pd.Series:
    """Signal of a named strategy with validated parameters (unknown keys are an error listing valid ones)."""
    key = normalise_strategy(name)
    defaults = strategy_params(key)
    given = dict(params or {})
    if "short" in given:
        given["allow_short"] = given.pop("short")
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise InvalidParameterError(
            f"Unknown parameter(s) {unknown} for strategy {key!r}. Valid parameters: {sorted(defaults)}."
        )
    kwargs = {**defaults, **given}
    for k, v in kwargs.items():
        if isinstance(defaults[k], float) and isinstance(v, int | np.integer) and not isinstance(v, bool):
            kwargs[k] = float(v)
    return STRATEGIES[key](close, **kwargs)
