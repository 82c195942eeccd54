"""The exercise verdict cannot be forged from inside the sandbox (issue 15): the judge runs in the trusted process."""

from __future__ import annotations

import shutil

import pytest

from agents.exercises import check_exercise
from knowledge.exercise_bank import load_exercise

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed"),
]

EXERCISE = "kupiec_pof"

REPLACE_TESTS_MODULE = """
import json, sys, types
names = json.load(open("judge_config.json"))["names"]
fake = types.ModuleType("tests")
for n in names:
    setattr(fake, n, lambda: None)
sys.modules["tests"] = fake
"""
PRINT_VERDICTS = """
import json, os, sys
cfg = json.load(open("judge_config.json"))
for n in cfg["names"]:
    sys.__stdout__.write(cfg["mark"] + json.dumps({"name": n, "passed": True, "message": "ok"}) + "\\n")
sys.__stdout__.flush()
os._exit(0)
"""
FORGE_RECORDS = """
import json, os, sys
cfg = json.load(open("judge_config.json"))
for n in cfg["names"]:
    sys.__stdout__.write(cfg["mark"] + json.dumps({"name": n, "events": []}) + "\\n")
    sys.__stdout__.write(cfg["mark"] + json.dumps({"name": n, "passed": True, "events": [
        {"get": "kupiec_pof", "ok": True}, {"call": "kupiec_pof", "value": {"__tuple__": [0.0, 1.0]}}]}) + "\\n")
sys.__stdout__.flush()
os._exit(0)
"""
NEUTER_JUDGE = """
import _judge
_judge.close = _judge.equal = lambda *a, **k: None
class _Ok(AssertionError):
    pass
_judge.Mismatch = _Ok
def count_exceptions(r, var):
    return 0
def kupiec_pof(T, x, level=0.99):
    return (0.0, 1.0)
"""
EXIT_AT_IMPORT = "import os\nos._exit(0)\n"
MONKEYPATCH_RUNNER = """
import sys
main = sys.modules["__main__"]
main.emit = lambda mark, **v: None
"""

FORGERIES = {
    "replace_tests_module": REPLACE_TESTS_MODULE,
    "print_verdicts": PRINT_VERDICTS,
    "forge_records": FORGE_RECORDS,
    "neuter_judge_helpers": NEUTER_JUDGE,
    "exit_at_import": EXIT_AT_IMPORT,
    "silence_the_runner": MONKEYPATCH_RUNNER,
}


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_forged_verdicts_fail(name: str) -> None:
    result = check_exercise(EXERCISE, FORGERIES[name], timeout_s=20)
    assert not result.passed
    assert result.offer is None
    assert result.n_passed < result.n_tests


def test_the_reference_still_passes() -> None:
    assert check_exercise(EXERCISE, load_exercise(EXERCISE).solution).passed
