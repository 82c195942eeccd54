"""Typed errors and warnings of :mod:`finance`.

Every error is a :class:`ValueError` subclass whose message says how to fix the input (like ``arch``'s
``ValueError("All lags lengths must be non-negative")``). Recoverable numeric trouble is a :class:`Warning`
subclass carrying advice (like ``arch``'s ``ConvergenceWarning``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping


def _choices(valid: Iterable[object]) -> str:
    return ", ".join(repr(v) for v in valid)


def name_key(value: object) -> str:
    """The comparable form of an option name: trimmed, lower case, ``_`` and spaces as ``-``."""
    return str(value).strip().lower().replace("_", "-").replace(" ", "-")


def did_you_mean(value: object, valid: Iterable[object]) -> str:
    """`` Did you mean 'x'?`` for the valid names closest to ``value`` (``difflib``), or ``""``."""
    names = {name_key(v): v for v in valid}
    close = difflib.get_close_matches(name_key(value), list(names), n=3, cutoff=0.6)
    if not close:
        return ""
    return f" Did you mean {' or '.join(repr(names[c]) for c in close)}?"


class FinanceError(ValueError):
    """Base class of every user-facing error raised by :mod:`finance`."""


class InvalidChoiceError(FinanceError):
    """A string option is not one of the valid names; the message lists them."""

    def __init__(self, kind: str, value: object, valid: Iterable[object]) -> None:
        self.kind, self.value, self.valid = kind, value, tuple(valid)
        super().__init__(
            f"Unknown {kind} {value!r}.{did_you_mean(value, self.valid)} Valid choices: {_choices(self.valid)}."
        )


class UnknownTickerError(InvalidChoiceError):
    """No data for this ticker offline (no cache, no bundled snapshot)."""

    def __init__(self, ticker: str, valid: Iterable[object]) -> None:
        InvalidChoiceError.__init__(self, "offline ticker", ticker, valid)
        self.args = (
            f"No offline data for ticker {ticker!r} (network unavailable and nothing cached)."
            f"{did_you_mean(ticker, self.valid)} "
            f"Use one of the bundled snapshots: {_choices(self.valid)}, or pass the path of your own "
            "CSV/parquet file with a date index and a 'close' column.",
        )


class UnknownStrategyError(InvalidChoiceError):
    """Strategy name not recognised."""

    def __init__(self, value: object, valid: Iterable[object]) -> None:
        super().__init__("strategy", value, valid)


class UnknownMethodError(InvalidChoiceError):
    """VaR method (or similar option) not recognised."""

    def __init__(self, value: object, valid: Iterable[object]) -> None:
        super().__init__("method", value, valid)


class UnknownModelError(InvalidChoiceError):
    """Volatility model or error distribution not recognised."""


def normalise_name(
    value: str,
    valid: Iterable[str],
    *,
    aliases: Mapping[str, str] | None = None,
    error: Callable[[object, tuple[str, ...]], InvalidChoiceError] | None = None,
) -> str:
    """The canonical name of an option: ``name_key(value)`` through ``aliases``, checked against ``valid``.

    The one name normaliser of :mod:`finance` (strategies, VaR methods, volatility models, distributions).

    Raises
    ------
    InvalidChoiceError
        ``error(value, valid)`` when the name is unknown; its message lists the valid names and suggests the
        closest ones ("Did you mean 'sma-cross'?").

    Examples
    --------
    >>> normalise_name("SMA_Cross", ("buy-hold", "sma-cross"))
    'sma-cross'
    >>> normalise_name("rsii", ("rsi", "sma"))
    Traceback (most recent call last):
    ...
    finance.errors.InvalidChoiceError: Unknown name 'rsii'. Did you mean 'rsi'? Valid choices: 'rsi', 'sma'.
    """
    names = tuple(valid)
    key = name_key(value)
    key = (aliases or {}).get(key, key)
    if key not in names:
        raise (error or _unknown_name)(value, names)
    return key


def _unknown_name(value: object, valid: tuple[str, ...]) -> InvalidChoiceError:
    return InvalidChoiceError("name", value, valid)


class InvalidParameterError(FinanceError):
    """A numeric parameter is out of range; the message gives the valid range."""


class PriceDataError(FinanceError):
    """The price data cannot be used as is; the message says how to clean it."""


class ConvergenceWarning(UserWarning):
    """The optimiser behind a volatility model did not converge cleanly."""


class OverfittingWarning(UserWarning):
    """The best result of a parameter search is plausibly luck (low deflated Sharpe ratio)."""


class OfflineDataWarning(UserWarning):
    """Live data could not be fetched; a bundled offline snapshot is served instead."""
