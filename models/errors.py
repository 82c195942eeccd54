"""Typed errors of the from-scratch library. Each message says what to do."""

from __future__ import annotations


class ModelsError(Exception):
    """Base class for errors raised by ``models``."""


class ShapeError(ModelsError, ValueError):
    """Operands have incompatible shapes; the message gives both shapes."""


class SingularMatrixError(ModelsError, ValueError):
    """A matrix cannot be inverted or a system has no unique solution."""


class ConvergenceError(ModelsError, RuntimeError):
    """An iterative method did not converge within its iteration budget."""


class UnknownModelError(ModelsError, KeyError):
    """A model name is not in ``models.demos.DEMOS``; the message lists the valid names."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownDatasetError(ModelsError, KeyError):
    """A dataset name is unknown or does not fit the model; the message lists the valid names."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class DataError(ModelsError, ValueError):
    """Input data is malformed (wrong length, empty text, too few samples...)."""


class GradcheckError(ModelsError, AssertionError):
    """Analytic and numerical gradients disagree."""


class NotFittedError(ModelsError, RuntimeError):
    """A model was used before ``fit``; call ``fit(X, y)`` first."""
