"""Benchmark: our vectorised SMA-crossover backtest and 1,000-pair sweep against backtesting.py.

Data: the offline S&P 500 snapshot (1999-2018, ~20 years of daily bars, from ``arch.data``). Both engines run
the same long/flat rule (long while SMA(fast) > SMA(slow)), filled at the close of the signal day
(backtesting.py's ``trade_on_close=True``), 5 bps commission; the open trade is closed at the end
(``finalize_trades=True``) so both count the same round trips. backtesting.py is event-driven (one Python
call per bar); its sweep is a plain loop of ``Backtest.run`` over the same 1,000 pairs (single process, like
ours). Every pair must give the same number of trades in both engines.

Run: ``.venv/bin/python bench/finance.py`` (about a minute). Prints ratios, not absolute claims.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

# This file is itself called "finance": put the repository root, not bench/, first on the import path.
sys.path[0] = str(Path(__file__).resolve().parents[1])
os.environ.setdefault("TQDM_DISABLE", "1")  # backtesting.py's per-run progress bars

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from finance.backtest import backtest, sma_sweep  # noqa: E402
from finance.data import load_snapshot  # noqa: E402
from finance.strategies import sma_cross  # noqa: E402

FAST = list(range(5, 105, 5))  # 20 windows
SLOW = list(range(110, 360, 5))  # 50 windows -> 1,000 pairs, all fast < slow


def _bt_engine(df: pd.DataFrame):
    from backtesting import Backtest, Strategy

    def sma(x: np.ndarray, n: int) -> np.ndarray:
        return pd.Series(x).rolling(n).mean().to_numpy()

    class SmaLongFlat(Strategy):
        fast = 20
        slow = 50

        def init(self) -> None:
            self.f = self.I(sma, self.data.Close, self.fast)
            self.s = self.I(sma, self.data.Close, self.slow)

        def next(self) -> None:
            up = self.f[-1] > self.s[-1]
            if up and not self.position:
                self.buy()
            elif not up and self.position:
                self.position.close()

    data = df.rename(columns=str.capitalize)[["Open", "High", "Low", "Close", "Volume"]]
    return Backtest(
        data, SmaLongFlat, cash=10_000_000, commission=0.0005, trade_on_close=True, finalize_trades=True
    )


def _warmup_explains(close: pd.Series, row: pd.Series, their_count: int) -> bool:
    """Our trade count equals backtesting.py's once the first bar with both SMAs defined is not traded."""
    sig = sma_cross(close, int(row.fast), int(row.slow))
    sig.iloc[int(row.slow) - 1] = 0.0
    return backtest(close, sig).n_trades == their_count


def _time(fn, repeat: int = 3) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    warnings.filterwarnings("ignore", module="backtesting")
    df = load_snapshot("sp500")
    close = df["close"]
    print(f"Data: {df.attrs['note']} {len(df)} bars, {df.index[0].date()} -> {df.index[-1].date()}")
    engine = _bt_engine(df)

    t_ours, res = _time(lambda: backtest(close, sma_cross(close, 20, 50), cost_bps=5.0), repeat=5)
    t_bt, stats = _time(lambda: engine.run(fast=20, slow=50), repeat=2)
    print("\n[1] One SMA(20, 50) backtest")
    print(
        f"  ours: {t_ours * 1e3:8.1f} ms   trades {res.n_trades:4d}   "
        f"total return {100 * res.stats['total_return']:6.1f} %"
    )
    print(
        f"  backtesting.py: {t_bt * 1e3:8.1f} ms   trades {stats['# Trades']:4d}   "
        f"total return {stats['Return [%]']:6.1f} %"
    )
    print(f"  speed-up: x{t_bt / t_ours:,.0f}   same trade count: {res.n_trades == stats['# Trades']}")

    t_sweep, sw = _time(lambda: sma_sweep(close, FAST, SLOW, cost_bps=5.0), repeat=3)
    t0 = time.perf_counter()
    counts = [engine.run(fast=int(r.fast), slow=int(r.slow))["# Trades"] for r in sw.table.itertuples()]
    t_bt_sweep = time.perf_counter() - t0
    diff = np.flatnonzero(np.asarray(counts) != sw.table["n_trades"].to_numpy())
    explained = [_warmup_explains(close, sw.table.iloc[j], counts[j]) for j in diff]
    same = all(explained)
    best = sw.table.loc[sw.table["sharpe"].idxmax()]
    print(f"\n[2] Sweep of {len(sw.table):,} (fast, slow) pairs")
    print(
        f"  ours (arrays): {t_sweep:8.2f} s   "
        f"best fast={int(best.fast)} slow={int(best.slow)} Sharpe {best.sharpe:.2f}"
    )
    print(f"  backtesting.py: {t_bt_sweep:8.2f} s   ({t_bt_sweep / len(sw.table) * 1e3:.0f} ms per pair)")
    print(
        f"  speed-up: x{t_bt_sweep / t_sweep:,.0f}   "
        f"same trade counts: {len(sw.table) - len(diff)}/{len(sw.table)} pairs"
    )
    if len(diff):
        print(
            f"  the {len(diff)} others differ only at the warm-up bar "
            "(backtesting.py first trades one bar after its "
            f"indicators are defined; ours on that bar): equal once that bar is skipped: {same}"
        )
    if not (same and res.n_trades == stats["# Trades"]):
        raise SystemExit("trade counts differ between the engines")


if __name__ == "__main__":
    main()
