"""Daily prices that work offline and the learner's own files.

:func:`load_prices` returns a :class:`pandas.DataFrame` indexed by date (``DatetimeIndex``, sorted, unique)
with lower-case columns: always ``close`` (split/dividend **adjusted** close when the source has one), and
``open``, ``high``, ``low``, ``volume`` when the source has them. ``df.attrs`` carries ``ticker``, ``source``
(``"yfinance"``, ``"cache"``, ``"snapshot:<name>"`` or ``"file"``) and ``note`` (a sentence for the user).

Online, prices come from yfinance and are cached to parquet under ``cache_dir``. Offline,
``yfinance.download``
does not raise: it logs a DNS error and returns an empty frame. We check the network first with a short socket
connection (so an offline call costs at most ``timeout`` seconds), treat an empty download as "offline", and
then
serve the cache or one of the real daily series shipped inside installed wheels (``arch.data``,
``backtesting.test``).
Returns and annualisation are in :mod:`finance.returns`.
"""

from __future__ import annotations

import functools
import logging
import re
import socket
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from finance.errors import PriceDataError, UnknownTickerError

log = logging.getLogger(__name__)


# -- bundled offline snapshots -------------------------------------------------------------------------------
def _arch_ohlcv(name: str) -> pd.DataFrame:
    import importlib

    return importlib.import_module(f"arch.data.{name}").load()


def _arch_single(name: str, column: str) -> pd.DataFrame:
    import importlib

    raw = importlib.import_module(f"arch.data.{name}").load()
    return raw[[column]].rename(columns={column: "close"})


def _backtesting(name: str) -> pd.DataFrame:
    import backtesting.test as bt_test

    return getattr(bt_test, name).copy()


SNAPSHOTS: dict[str, tuple[Callable[[], pd.DataFrame], str]] = {
    "sp500": (lambda: _arch_ohlcv("sp500"), "S&P 500 index (^GSPC) daily, 1999-2018, from arch.data.sp500"),
    "nasdaq": (
        lambda: _arch_ohlcv("nasdaq"),
        "NASDAQ Composite index (^IXIC) daily, 1999-2018, from arch.data",
    ),
    "wti": (
        lambda: _arch_single("wti", "DCOILWTICO"),
        "WTI crude oil spot price (FRED DCOILWTICO), 1986-2019",
    ),
    "vix": (lambda: _arch_single("vix", "vix"), "CBOE VIX index level, 2014-2019, from arch.data.vix"),
    "goog": (lambda: _backtesting("GOOG"), "Alphabet/Google (GOOG) daily, 2004-2013, from backtesting.test"),
}
"""Offline snapshots: name -> (loader, description)."""

ALIASES: dict[str, str] = {
    "^GSPC": "sp500",
    "SPY": "sp500",
    "SP500": "sp500",
    "S&P500": "sp500",
    "S&P 500": "sp500",
    "SPX": "sp500",
    "^SPX": "sp500",
    "GSPC": "sp500",
    "^IXIC": "nasdaq",
    "QQQ": "nasdaq",
    "NASDAQ": "nasdaq",
    "IXIC": "nasdaq",
    "NDX": "nasdaq",
    "GOOG": "goog",
    "GOOGL": "goog",
    "CL=F": "wti",
    "WTI": "wti",
    "OIL": "wti",
    "^VIX": "vix",
    "VIX": "vix",
}
"""Tickers a user would type -> offline snapshot name."""

_PROXY_NOTE = {
    "SPY": "SPY is served by the S&P 500 index itself (no ETF fees, no dividends).",
    "QQQ": "QQQ is served by the NASDAQ Composite index (QQQ tracks the NASDAQ-100).",
    "CL=F": "CL=F (futures) is served by the WTI spot price.",
}


def snapshot_name(ticker: str) -> str | None:
    """Name of the offline snapshot that serves ``ticker`` (case-insensitive), or ``None``.

    Examples
    --------
    >>> snapshot_name("spy"), snapshot_name("^IXIC"), snapshot_name("AAPL")
    ('sp500', 'nasdaq', None)
    """
    key = ticker.strip().upper()
    if key.lower() in SNAPSHOTS:
        return key.lower()
    return ALIASES.get(key) or ALIASES.get(key.replace(" ", ""))


@functools.lru_cache(maxsize=8)
def _snapshot_frame(name: str) -> pd.DataFrame:
    loader, _ = SNAPSHOTS[name]
    return _standardise(loader())


def load_snapshot(name_or_ticker: str) -> pd.DataFrame:
    """Bundled offline series for a snapshot name or an alias ticker (a fresh copy, ``attrs`` filled).

    Raises
    ------
    UnknownTickerError
        If no snapshot serves this ticker; the message lists the ones available.
    """
    name = snapshot_name(name_or_ticker)
    if name is None:
        raise UnknownTickerError(name_or_ticker, sorted(ALIASES) + sorted(SNAPSHOTS))
    df = _snapshot_frame(name).copy()
    desc = SNAPSHOTS[name][1]
    extra = _PROXY_NOTE.get(name_or_ticker.strip().upper(), "")
    df.attrs.update(
        ticker=name_or_ticker,
        source=f"snapshot:{name}",
        note=f"Offline snapshot: {desc}. {extra}".strip(),
    )
    return df


# -- standardising and validating ----------------------------------------------------------------------------
_CLOSE_NAMES = ("adj close", "adj_close", "adjclose", "adjusted close", "adjusted", "close", "price")


def _standardise(raw: pd.DataFrame) -> pd.DataFrame:
    """Lower-case columns, ``close`` = adjusted close if present, NaN closes dropped (bundled data only)."""
    df = raw.copy()
    df.columns = [str(c).strip().lower() for c in df.columns]
    close = next((c for c in _CLOSE_NAMES if c in df.columns), None)
    if close is None:
        raise PriceDataError(
            f"No price column among {list(raw.columns)}; name the column 'close' (or 'Adj Close')."
        )
    out = pd.DataFrame({"close": df[close].astype(float)}, index=pd.DatetimeIndex(df.index).as_unit("ns"))
    for col in ("open", "high", "low", "volume"):
        if col in df.columns:
            out[col] = df[col].astype(float).to_numpy()
    out.index.name = "date"
    return out.dropna(subset=["close"]).sort_index()


def validate_prices(df: pd.DataFrame) -> pd.DataFrame:
    """Check a user price frame: sort it, and report duplicates, missing or non-positive prices with the fix.

    Parameters
    ----------
    df : DataFrame
        Indexed by date, with a ``close`` (or ``Adj Close``/``price``) column.

    Returns
    -------
    DataFrame
        Standard columns (see module docstring), sorted by date; ``attrs["warnings"]`` lists what was fixed.

    Raises
    ------
    PriceDataError
        Dates that do not parse, duplicated dates, missing or non-positive prices, fewer than 3 rows.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "Could not infer format": we report failures below
            index = pd.DatetimeIndex(pd.to_datetime(df.index))
    except (ValueError, TypeError) as exc:
        raise PriceDataError(
            f"The index does not parse as dates ({exc}); put the dates in the first column, e.g. 2020-01-31."
        ) from exc
    raw = df.set_axis(index.tz_localize(None) if index.tz is not None else index)
    notes: list[str] = []
    if not raw.index.is_monotonic_increasing:
        raw = raw.sort_index()
        notes.append("dates were not in increasing order; sorted them")
    dup = raw.index[raw.index.duplicated()]
    if len(dup):
        raise PriceDataError(
            f"{len(dup)} duplicated dates (first: {dup[0].date()}). Keep one row per date, e.g. "
            "`df = df[~df.index.duplicated(keep='last')]`."
        )
    cols = [str(c).strip().lower() for c in raw.columns]
    close_col = next((raw.columns[cols.index(c)] for c in _CLOSE_NAMES if c in cols), None)
    if close_col is None:
        raise PriceDataError(f"No price column among {list(raw.columns)}; name the column 'close'.")
    close = pd.to_numeric(raw[close_col], errors="coerce")
    missing = close.index[close.isna()]
    if len(missing):
        raise PriceDataError(
            f"{len(missing)} missing prices (first: {missing[0].date()}). Drop them with "
            "`df = df.dropna(subset=['close'])` or carry the last price forward with `df['close'].ffill()`."
        )
    bad = close.index[close <= 0]
    if len(bad):
        raise PriceDataError(
            f"{len(bad)} non-positive prices (first: {bad[0].date()}): returns are undefined. "
            "Remove those rows "
            "(`df = df[df['close'] > 0]`) or check the units of the file."
        )
    if len(close) < 3:
        raise PriceDataError(f"Only {len(close)} prices; at least 3 rows are needed to compute returns.")
    out = _standardise(raw.assign(**{str(close_col): close}))
    out.attrs["warnings"] = notes
    return out


def read_price_file(path: str | Path) -> pd.DataFrame:
    """Read the learner's own CSV or parquet prices and validate them (:func:`validate_prices`).

    A CSV must have the dates in its first column (or a column named ``date``) and a ``close`` column.
    """
    p = Path(path).expanduser()
    if not p.is_file():
        raise PriceDataError(f"File not found: {p}. Give the path of a .csv or .parquet file.")
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        raw = pd.read_parquet(p)
    elif suffix in {".csv", ".txt"}:
        raw = pd.read_csv(p)
    else:
        raise PriceDataError(f"Unsupported file type {suffix!r}; use .csv or .parquet.")
    lower = [str(c).strip().lower() for c in raw.columns]
    if "date" in lower:
        raw = raw.set_index(raw.columns[lower.index("date")])
    elif not isinstance(raw.index, pd.DatetimeIndex):
        raw = raw.set_index(raw.columns[0])
    df = validate_prices(raw)
    fixed = "; ".join(df.attrs.get("warnings", []))
    df.attrs.update(
        ticker=p.stem, source="file", note=f"Your file {p.name}." + (f" Note: {fixed}." if fixed else "")
    )
    return df


# -- online path ---------------------------------------------------------------------------------------------
_NET_CACHE: dict[str, tuple[float, bool]] = {}


def network_available(
    host: str = "query1.finance.yahoo.com", port: int = 443, *, timeout: float = 1.5
) -> bool:
    """Whether a TCP connection to ``host:port`` opens within ``timeout`` seconds (remembered for 60 s)."""
    now = time.monotonic()
    hit = _NET_CACHE.get(host)
    if hit is not None and now - hit[0] < 60.0:
        return hit[1]
    try:
        with socket.create_connection((host, port), timeout=timeout):
            ok = True
    except OSError:
        ok = False
    _NET_CACHE[host] = (now, ok)
    return ok


def _cache_path(cache_dir: Path, ticker: str) -> Path:
    return cache_dir / (re.sub(r"[^A-Za-z0-9_.=-]", "_", ticker.strip().upper()) + ".parquet")


def _download(ticker: str, start: str | None, end: str | None) -> pd.DataFrame:
    import yfinance as yf

    kw: dict[str, object] = {"start": start, "end": end} if start or end else {"period": "max"}
    raw = yf.download(ticker, auto_adjust=True, progress=False, multi_level_index=False, timeout=10, **kw)
    if raw is None or raw.empty:
        return pd.DataFrame()
    return _standardise(raw)


def _slice(df: pd.DataFrame, start: str | None, end: str | None, label: str) -> pd.DataFrame:
    out = df.loc[pd.Timestamp(start) if start else None : pd.Timestamp(end) if end else None]
    if len(out) < 3:
        raise PriceDataError(
            f"{label} has data from {df.index[0].date()} to {df.index[-1].date()} only; "
            f"choose start/end inside that range (got start={start}, end={end})."
        )
    out = out.copy()
    out.attrs = dict(df.attrs)
    return out


def load_prices(
    ticker: str,
    start: str | None = None,
    end: str | None = None,
    *,
    cache_dir: Path | None = None,
    offline: bool | None = None,
) -> pd.DataFrame:
    """Daily prices for a ticker or a file path, online when possible, offline otherwise.

    Parameters
    ----------
    ticker : str
        A Yahoo ticker (``"SPY"``, ``"^GSPC"``...), a snapshot name (``"sp500"``, ``"nasdaq"``, ``"wti"``,
        ``"vix"``, ``"goog"``) or the path of a ``.csv``/``.parquet`` file.
    start, end : str, optional
        Inclusive ISO dates (``"2010-01-01"``).
    cache_dir : Path, optional
        Folder for the parquet cache (the app passes ``$QT_HOME/cache/prices``); no caching if ``None``.
    offline : bool, optional
        ``True`` never touches the network, ``False`` always tries it, ``None`` checks with a fast socket
        test.

    Returns
    -------
    DataFrame
        Standard columns (see module docstring) with ``attrs["source"]`` and ``attrs["note"]``.

    Examples
    --------
    >>> df = load_prices("SPY", "2010-01-01", "2010-12-31", offline=True)
    >>> df.attrs["source"], len(df)
    ('snapshot:sp500', 252)
    """
    if Path(ticker).suffix.lower() in {".csv", ".parquet", ".txt"}:
        return _slice(read_price_file(ticker), start, end, f"File {ticker}")
    if offline is None:
        offline = not network_available()
    cache = _cache_path(cache_dir, ticker) if cache_dir is not None else None
    if not offline:
        df = _download(ticker, start, end)
        if not df.empty:
            df.attrs.update(
                ticker=ticker, source="yfinance", note=f"Live data for {ticker} from Yahoo Finance."
            )
            if cache is not None:
                _write_cache(cache, df)
            return df
        log.warning(
            "yfinance returned no data for %s (offline or unknown ticker); using offline data.", ticker
        )
    if cache is not None and cache.is_file():
        df = pd.read_parquet(cache)
        df.attrs.update(ticker=ticker, source="cache", note=f"Cached prices for {ticker} (no network).")
        return _slice(df, start, end, f"The cache of {ticker}")
    df = load_snapshot(ticker)
    return _slice(df, start, end, df.attrs["note"])


def _write_cache(path: Path, df: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file():
        df = df.combine_first(pd.read_parquet(path))
    pd.DataFrame(df).to_parquet(path)
