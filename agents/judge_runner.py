"""The program that runs inside the sandbox (as ``main.py``) to collect the learner's outputs on the judge's inputs.

:func:`agents.exercises.check_exercise` copies this file into the sandbox with the learner's module, the judge
(``tests.py`` and its ``_judge.py`` helpers) and ``judge_config.json`` (``mark``: the line prefix of a record,
``names``: the ``test_*`` functions in order, ``module``: the learner's module). Each test runs with
``_judge.function`` replaced by a recorder: every lookup of a learner's function and every call (its return
value, or the exception it raised) becomes an event. One JSON record of events per test is printed after the
mark. **No verdict is computed here**: whatever this process prints, the comparison with the references is
done again, in the trusted process, by :mod:`agents.judge_replay`, which replays these outputs through the
judge. Standard library only (numpy when present); never imports quant-tutor.
"""

from __future__ import annotations

import builtins
import importlib
import json
import math
import sys
import traceback
from pathlib import Path
from typing import Any

CONFIG_FILE = "judge_config.json"
MAX_ITEMS = 100_000


def emit(mark: str, **record: Any) -> None:
    """One record line on the real stdout."""
    out = sys.__stdout__
    assert out is not None  # a sandboxed process always has a stdout
    out.write(mark + json.dumps(record) + "\n")
    out.flush()


def encode(value: Any, depth: int = 0) -> Any:
    """A JSON-ready copy of a learner's value: numbers, strings, lists, tuples, dicts, numpy arrays; else opaque."""
    if depth > 20:
        return {"__opaque__": "structure trop profonde"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else {"__float__": repr(float(value))}
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, (list, tuple)) and len(value) <= MAX_ITEMS:
        items = [encode(v, depth + 1) for v in value]
        return items if isinstance(value, list) else {"__tuple__": items}
    if isinstance(value, dict) and len(value) <= MAX_ITEMS and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: encode(v, depth + 1) for k, v in value.items()}}
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is in the sandbox's Python
        np = None  # type: ignore[assignment]
    if np is not None and isinstance(value, np.ndarray) and value.size <= MAX_ITEMS and value.dtype.kind in "biuf":
        return {"__nd__": encode(value.astype(float).tolist() if value.dtype.kind == "f" else value.tolist(),
                                 depth + 1), "dtype": value.dtype.str, "shape": list(value.shape)}
    if np is not None and isinstance(value, np.generic):
        return encode(value.item(), depth + 1)
    return {"__opaque__": type(value).__name__}


def where(exc: BaseException, module: str) -> int | None:
    """The line of the learner's module where ``exc`` was raised, if it was."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(f"{module}.py")]
    return frames[-1].lineno if frames else getattr(exc, "lineno", None)


class Recorder:
    """Stands in for ``_judge.function``: hands out the learner's functions and records what they do."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.events: list[dict[str, Any]] = []

    def function(self, name: str) -> Any:
        fn = getattr(sys.modules.get(self.module), name, None)
        self.events.append({"get": name, "ok": callable(fn)})
        if not callable(fn):
            raise LookupError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                value = fn(*args, **kwargs)
            except Exception as exc:
                kind = next(c.__name__ for c in type(exc).__mro__ if getattr(builtins, c.__name__, None) is c)
                self.events.append({"call": name, "raise": kind, "message": str(exc)[:400],
                                    "line": where(exc, self.module)})
                raise
            self.events.append({"call": name, "value": encode(value)})
            return value

        return call


def main() -> None:
    config = json.loads(Path(CONFIG_FILE).read_text(encoding="utf-8"))
    mark, names, module = config["mark"], config["names"], config["module"]
    try:
        importlib.import_module(module)
    except BaseException as exc:  # syntax errors, crashes and exits at import are the learner's
        emit(mark, name="import", line=where(exc, module), message=f"{type(exc).__name__}: {exc}"[:400])
        return
    helper = importlib.import_module("_judge")
    judge = importlib.import_module("tests")
    for name in names:
        recorder = Recorder(module)
        judge.function = helper.function = recorder.function  # type: ignore[attr-defined]
        try:
            getattr(judge, name)()
        except BaseException:  # noqa: S110 - the verdict is made outside; only the outputs matter here
            pass
        emit(mark, name=name, events=recorder.events)


if __name__ == "__main__":
    main()
