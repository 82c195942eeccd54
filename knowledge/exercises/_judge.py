"""Helpers for the exercise judges (``tests.py``); copied next to them inside the sandbox.

A judge calls ``function("name")`` to get the learner's function and ``close``/``equal`` to compare with a
reference computed independently. A mismatch raises :class:`Mismatch`, which carries the failing input, the
expected value and the learner's value for the verdict.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

MODULE = "solution_under_test"


class Mismatch(AssertionError):
    """The learner's result differs from the reference on ``inputs``."""

    def __init__(self, message: str, *, inputs: Any = None, expected: Any = None, got: Any = None) -> None:
        super().__init__(message)
        self.inputs, self.expected, self.got = inputs, expected, got


def learner_source() -> str:
    """The learner's source code (the trusted replay answers it from the submitted text)."""
    from pathlib import Path

    return Path(f"{MODULE}.py").read_text(encoding="utf-8")


def function(name: str) -> Any:
    """The learner's function ``name`` (a clear failure when it is missing)."""
    module = importlib.import_module(MODULE)
    fn = getattr(module, name, None)
    if not callable(fn):
        raise Mismatch(f"la fonction `{name}` est introuvable dans votre code : définissez `def {name}(...)`")
    return fn


def close(got: Any, expected: Any, *, what: str, inputs: Any = None, rtol: float = 1e-6,
          atol: float = 1e-8) -> None:
    """Fail unless ``got`` has the shape of ``expected`` and matches it within ``rtol``/``atol``."""
    exp = np.asarray(expected, dtype=float)
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError) as exc:
        raise Mismatch(f"{what} : résultat non numérique ({exc})", inputs=inputs, expected=expected,
                       got=got) from None
    if arr.shape != exp.shape:
        raise Mismatch(f"{what} : forme {arr.shape} au lieu de {exp.shape}", inputs=inputs, expected=expected,
                       got=got)
    if not np.allclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True):
        err = float(np.nanmax(np.abs(arr - exp))) if arr.size else 0.0
        raise Mismatch(f"{what} : valeur incorrecte (écart max {err:.3g})", inputs=inputs, expected=expected,
                       got=got)


def equal(got: Any, expected: Any, *, what: str, inputs: Any = None) -> None:
    """Fail unless ``got == expected`` exactly (ints, lists, booleans)."""
    same = np.array_equal(np.asarray(got), np.asarray(expected)) if not isinstance(expected, (int, str)) \
        else got == expected
    if not same:
        raise Mismatch(f"{what} : résultat incorrect", inputs=inputs, expected=expected, got=got)
