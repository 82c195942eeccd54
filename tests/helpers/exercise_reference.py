"""Reference solutions of the exercises checked against our libraries: loading them and the shared registry.

Each ``tests/agents/test_exercise_references_*.py`` module registers one check per exercise with :func:`check`;
``test_exercise_references.py`` runs them all and fails when an exercise has none.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np

from models.engine import Tensor

EXERCISES = Path(__file__).resolve().parents[2] / "knowledge" / "exercises"
CHECKS: dict[str, Callable[[ModuleType], None]] = {}


def load_reference(exercise_id: str) -> ModuleType:
    """An exercise's ``solution.py``, loaded from its path (plain Python, no sandbox needed)."""
    path = EXERCISES / exercise_id / "solution.py"
    spec = importlib.util.spec_from_file_location(f"_reference_{exercise_id}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(exercise_id: str) -> Callable[[Callable[[ModuleType], None]], Callable[[ModuleType], None]]:
    def register(fn: Callable[[ModuleType], None]) -> Callable[[ModuleType], None]:
        CHECKS[exercise_id] = fn
        return fn

    return register


def close(got: object, expected: object, rtol: float = 1e-12, atol: float = 0.0) -> None:
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(expected, dtype=float), rtol=rtol, atol=atol)


def param(data: np.ndarray) -> Tensor:
    return Tensor(np.array(data, dtype=float), requires_grad=True)
