"""The program that runs an exercise's judge inside the sandbox (it runs there as ``main.py``).

:func:`agents.exercises.check_exercise` copies this file into the sandbox with the learner's module, the
judge (``tests.py`` and its ``_judge.py`` helpers) and ``judge_config.json`` (``mark``: the line prefix of a
verdict, ``names``: the ``test_*`` functions in order, ``module``: the learner's module). It imports the
learner's module, calls each test and prints one JSON verdict per test after the mark, on the real stdout, so
that the learner's own prints cannot be taken for verdicts. Standard library only (numpy when present, for
short array reprs); never imports quant-tutor.
"""

from __future__ import annotations

import importlib
import json
import sys
import traceback
from pathlib import Path
from typing import Any

CONFIG_FILE = "judge_config.json"


def emit(mark: str, **verdict: Any) -> None:
    """One verdict line on the real stdout."""
    out = sys.__stdout__
    assert out is not None  # a sandboxed process always has a stdout
    out.write(mark + json.dumps(verdict, default=repr) + "\n")
    out.flush()


def short(value: Any, limit: int = 400) -> str:
    """A bounded repr (numpy arrays summarised)."""
    try:
        import numpy as np

        text = np.array2string(value, precision=6, threshold=40) if isinstance(value, np.ndarray) else repr(value)
    except Exception:  # the learner's object may have a broken __repr__
        text = object.__repr__(value)
    return text if len(text) <= limit else text[:limit] + "..."


def where(exc: BaseException, module: str) -> int | None:
    """The line of the learner's module where ``exc`` was raised, if it was."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(f"{module}.py")]
    return frames[-1].lineno if frames else getattr(exc, "lineno", None)


def main() -> None:
    config = json.loads(Path(CONFIG_FILE).read_text(encoding="utf-8"))
    mark, names, module = config["mark"], config["names"], config["module"]
    try:
        importlib.import_module(module)
    except BaseException as exc:  # syntax errors, crashes and exits at import are the learner's
        emit(mark, name="import", passed=False, line=where(exc, module), message=f"{type(exc).__name__}: {exc}")
        return
    judge = importlib.import_module("tests")
    for name in names:
        test = getattr(judge, name)
        try:
            test()
        except AssertionError as exc:
            emit(mark, name=name, passed=False, message=str(exc) or "assertion échouée",
                 input=short(getattr(exc, "inputs", None)), expected=short(getattr(exc, "expected", None)),
                 got=short(getattr(exc, "got", None)))
        except BaseException as exc:
            emit(mark, name=name, passed=False, line=where(exc, module),
                 message=f"exception dans votre code : {type(exc).__name__}: {exc}")
        else:
            emit(mark, name=name, passed=True, message="ok")


if __name__ == "__main__":
    main()
