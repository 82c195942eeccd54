"""Typed errors and warnings of :mod:`finance`.

Every error is a :class:`ValueError` subclass whose message says how to fix the input (like ``arch``'s
``ValueError("All lags lengths must be non-negative")``). Recoverable numeric trouble is a :class:`Warning`
subclass carrying advice (like ``arch``'s ``ConvergenceWarning``).
"""

from __future__ import annotations

from collections.abc import Iterable


def _choices(valid: Iterable[object]) -> str:
    return ", ".join(repr(v) for v in valid)


class FinanceError(ValueError):
    """Base class of every user-facing error raised by :mod:`finance`."""


class InvalidChoiceError(FinanceError):
    """A string option is not one of the valid names; the message lists them."""

    def __init__(self, kind: str, value: object, valid: Iterable[object]) -> None:
        self.kind, self.value, self.valid = kind, value, tuple(valid)
        super().__init__(f"Unknown {kind} {value!r}. Valid choices: {_choices(self.valid)}.")


class UnknownTickerError(InvalidChoiceError):
    """No data for this ticker offline (no cache, no bundled snapshot)."""

    def __init__(self, ticker: str, valid: Iterable[object]) -> None:
        InvalidChoiceError.__init__(self, "offline ticker", ticker, valid)
        self.args = (
            f"No offline data for ticker {ticker!r} (network unavailable and nothing cached). "
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
