"""The trusted half of an exercise check: replay the learner's recorded outputs through the judge, here.

The sandbox (:mod:`agents.judge_runner`) only returns data: per test, the learner's function lookups and
return values (or raised exceptions). This module loads the exercise's judge (``tests.py`` with its
``_judge.py``: our code, never the learner's) in fresh modules of the trusted process, replaces
``function(name)`` with a stub that answers each call with the next recorded value, and runs each test: the
comparison with the reference happens here, so nothing the learner's process prints or replaces can forge a
verdict. A test whose record is missing or does not follow the judge's calls fails.
"""

from __future__ import annotations

import builtins
import math
import sys
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

_LOCK = threading.Lock()  # tests.py imports `_judge` through sys.modules: one replay at a time


class ReplayError(Exception):
    """The record does not follow the judge's calls (missing, reordered or forged outputs)."""


class LearnerError(Exception):
    """An exception the learner's function raised in the sandbox, raised again for the judge."""

    def __init__(self, event: dict[str, Any]) -> None:
        super().__init__(str(event.get("message", "")))
        self.type_name = str(event.get("raise", "Exception"))
        self.line = event.get("line") if isinstance(event.get("line"), int) else None


@dataclass
class Replayed:
    """The trusted verdict of one test."""

    name: str
    passed: bool
    message: str
    input: str | None = None
    expected: str | None = None
    got: str | None = None
    line: int | None = None


def decode(value: Any) -> Any:
    """The inverse of ``judge_runner.encode`` (opaque values become a placeholder that compares unequal)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__tuple__" in value:
        return tuple(decode(v) for v in value["__tuple__"])
    if "__dict__" in value and isinstance(value["__dict__"], dict):
        return {str(k): decode(v) for k, v in value["__dict__"].items()}
    if "__float__" in value:
        return float(value["__float__"])
    if "__nd__" in value:
        arr = np.asarray(decode(value["__nd__"]), dtype=np.dtype(str(value.get("dtype", "<f8"))))
        return arr.reshape([int(n) for n in value.get("shape", arr.shape)])
    return Opaque(str(value.get("__opaque__", "?")))


class Opaque:
    """A learner's value that is not plain data (an object of their own class)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<objet {self.type_name}>"


def _exception_for(event: dict[str, Any]) -> BaseException:
    cls = getattr(builtins, str(event.get("raise", "")), None)
    if isinstance(cls, type) and issubclass(cls, Exception) and cls not in (AssertionError,):
        try:
            exc = cls(str(event.get("message", "")))
        except TypeError:
            return LearnerError(event)
        exc.__dict__["_qt_line"] = event.get("line")
        return exc
    return LearnerError(event)


def _stub(events: list[dict[str, Any]], mismatch: type[AssertionError]) -> Callable[[str], Any]:
    queue = list(events)

    def next_event(kind: str, name: str) -> dict[str, Any]:
        if not queue:
            raise ReplayError(f"aucun résultat enregistré pour `{name}`")
        event = queue.pop(0)
        if event.get(kind) != name:
            raise ReplayError(f"résultats enregistrés dans un ordre inattendu (attendu {kind} {name})")
        return event

    def function(name: str) -> Any:
        if not next_event("get", name).get("ok"):
            raise mismatch(f"la fonction `{name}` est introuvable dans votre code : définissez `def {name}(...)`")

        def call(*args: Any, **kwargs: Any) -> Any:
            event = next_event("call", name)
            if "raise" in event:
                raise _exception_for(event)
            return decode(event.get("value"))

        return call

    return function


def load_judge(tests_src: str, helper_src: str, helper: types.ModuleType) -> types.ModuleType:
    """A fresh ``tests`` module (trusted source) importing the prepared ``helper`` as ``_judge``."""
    judge = types.ModuleType("tests")
    judge.__file__ = "tests.py"
    saved = sys.modules.get("_judge")
    sys.modules["_judge"] = helper
    try:
        exec(compile(tests_src, "tests.py", "exec"), judge.__dict__)  # noqa: S102 - our own judge code
    finally:
        if saved is None:
            sys.modules.pop("_judge", None)
        else:
            sys.modules["_judge"] = saved
    return judge


def replay_all(tests_src: str, helper_src: str, code: str, names: list[str],
               records: dict[str, list[dict[str, Any]]]) -> list[Replayed]:
    """Run the judge's tests ``names`` in order on the recorded events; the verdicts are made here.

    One judge instance for all tests, as in the sandbox (module-level random draws follow the same order).
    """
    with _LOCK:
        helper = types.ModuleType("_judge")
        helper.__file__ = "_judge.py"
        exec(compile(helper_src, "_judge.py", "exec"), helper.__dict__)  # noqa: S102 - our own judge code
        mismatch = getattr(helper, "Mismatch", AssertionError)
        helper.learner_source = lambda: code  # type: ignore[attr-defined]
        box: dict[str, Callable[[str], Any]] = {}
        helper.function = lambda name: box["fn"](name)  # type: ignore[attr-defined]
        judge = load_judge(tests_src, helper_src, helper)
        out = []
        for name in names:
            box["fn"] = _stub(records.get(name, []), mismatch)
            out.append(_run_one(judge, name))
        return out


def _run_one(judge: types.ModuleType, name: str) -> Replayed:
    test = getattr(judge, name, None)
    if test is None:
        return Replayed(name, False, "test inconnu du juge")
    try:
        with np.errstate(all="ignore"):
            test()
    except ReplayError as exc:
        return Replayed(name, False, f"non vérifié : {exc}")
    except LearnerError as exc:
        return Replayed(name, False, f"exception dans votre code : {exc.type_name}: {exc}", line=exc.line)
    except AssertionError as exc:
        return Replayed(name, False, str(exc) or "assertion échouée", input=short(getattr(exc, "inputs", None)),
                        expected=short(getattr(exc, "expected", None)), got=short(getattr(exc, "got", None)))
    except Exception as exc:  # a builtin exception of the learner, raised again, that the judge did not expect
        line = exc.__dict__.get("_qt_line") if hasattr(exc, "__dict__") else None
        return Replayed(name, False, f"exception dans votre code : {type(exc).__name__}: {exc}",
                        line=line if isinstance(line, int) else None)
    return Replayed(name, True, "ok")


def short(value: Any, limit: int = 400) -> str:
    """A bounded repr (numpy arrays summarised)."""
    try:
        text = np.array2string(value, precision=6, threshold=40) if isinstance(value, np.ndarray) else repr(value)
    except Exception:  # noqa: BLE001 - any repr trouble gives the generic one
        text = object.__repr__(value)
    if isinstance(value, float) and math.isnan(value):
        text = "nan"
    return text if len(text) <= limit else text[:limit] + "..."
