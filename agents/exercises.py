"""Check a learner's exercise in the sandbox and give Socratic hints.

``check_exercise`` writes the learner's code as ``solution_under_test.py`` next to the exercise's judge
(``tests.py``) and runs :mod:`agents.judge_runner` in the sandbox, which only records the learner's outputs on
the judge's inputs and returns them as data. The verdicts are made here, in the trusted process, by replaying
those outputs through the judge (:mod:`agents.judge_replay`): nothing printed or replaced in the sandbox can
forge a pass. It never raises for the learner's mistakes: syntax errors, crashes, infinite loops and memory
bombs all become verdicts. A pass offers to check the exercise's roadmap item.
"""

from __future__ import annotations

import ast
import json
import logging
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from agents.errors import ExerciseCheckError
from agents.judge_replay import replay_all
from agents.judge_runner import CONFIG_FILE
from agents.sandbox import Mode, SandboxResult, run_python
from knowledge.errors import ExerciseError
from knowledge.exercise_bank import JUDGE_HELPER, Exercise, load_exercise

log = logging.getLogger(__name__)

LEARNER_MODULE = "solution_under_test"
RECORD_KB = 2048  # the recorded outputs travel on stdout
HINT_LEVELS = ("indice", "question", "solution partielle", "solution complète")

#: the program that runs the judge in the sandbox (a real module, read from its file)
RUNNER_FILE = Path(__file__).resolve().parent / "judge_runner.py"


@dataclass
class TestVerdict:
    """The verdict of one judge test."""

    name: str
    passed: bool
    message: str
    description: str = ""
    input: str | None = None
    expected: str | None = None
    got: str | None = None
    line: int | None = None


@dataclass
class CheckResult:
    """What ``check_exercise`` found. ``offer`` proposes to check ``roadmap_item`` when everything passed."""

    exercise_id: str
    passed: bool
    tests: list[TestVerdict]
    summary: str
    roadmap_item: str
    hint: str | None = None
    offer: str | None = None
    stdout: str = ""
    stderr: str = ""
    reason: str = "ok"
    seconds: float = 0.0
    n_passed: int = 0
    n_tests: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        d = asdict(self)
        d["seconds"] = round(self.seconds, 3)
        return d

    @property
    def failing(self) -> list[TestVerdict]:
        return [t for t in self.tests if not t.passed]


def check_exercise(
    exercise_id: str,
    code: str,
    *,
    timeout_s: float = 20,
    memory_mb: int = 1024,
    output_kb: int = 64,
    mode: Mode = "bwrap",
) -> CheckResult:
    """Judge ``code`` (the learner's module) against the exercise's tests inside the sandbox.

    Parameters
    ----------
    exercise_id : str
        Id, alias or close spelling of the exercise (see ``quant-tutor exercises list``).
    code : str
        The learner's Python source defining the functions asked in the statement.
    timeout_s, memory_mb, output_kb, mode
        Sandbox limits for the whole run, as in :func:`agents.sandbox.run_python`.

    Returns
    -------
    CheckResult
        One verdict per judge test; never raises for a wrong, crashing or looping solution.

    Raises
    ------
    ExerciseCheckError
        The exercise id is unknown (the message lists valid ids).
    agents.errors.SandboxUnavailable
        bubblewrap is missing and ``mode`` is not ``"limits-only"``.
    """
    exercise = _load(exercise_id)
    names, docs = _test_names(exercise)
    mark = "@@verdict-" + secrets.token_hex(8) + "@@"
    runner = RUNNER_FILE.read_text(encoding="utf-8")
    config = {"mark": mark, "names": names, "module": LEARNER_MODULE}
    files = {**exercise.judge_files(), f"{LEARNER_MODULE}.py": code, CONFIG_FILE: json.dumps(config)}
    run = run_python(runner, files=files, timeout_s=timeout_s, memory_mb=memory_mb,
                     output_kb=max(output_kb, RECORD_KB), mode=mode)
    records, stdout = _parse_verdicts(run.stdout, mark)
    verdicts = _judge(exercise, code, records, names)
    tests = _complete(verdicts, names, docs, run)
    n_ok = sum(t.passed for t in tests)
    passed = bool(tests) and n_ok == len(tests) and tests[0].name != "import"
    info = exercise.info
    result = CheckResult(
        exercise_id=info.id, passed=passed, tests=tests, roadmap_item=info.roadmap_item,
        summary=_summary(passed, n_ok, tests, run), stdout=stdout, stderr=run.stderr, reason=run.reason,
        seconds=run.seconds, n_passed=n_ok, n_tests=len(tests),
    )
    if passed:
        result.offer = (f"Bravo, tous les tests de « {info.title} » passent ! Veux-tu cocher l'élément "
                        f"{info.roadmap_item} de ta feuille de route ?")
    else:
        result.hint = exercise.hints[0] if exercise.hints else None
    log.info("check %s: %d/%d (%s)", info.id, n_ok, len(tests), run.reason)
    return result


def hint(exercise_id: str, level: int) -> str:
    """Socratic help: level 0 a hint, 1 a guiding question, 2 a partial solution, 3 the full solution.

    Level 3 (the full reference solution) is meant only for an explicit request from the learner.
    """
    exercise = _load(exercise_id)
    if not 0 <= level <= 3:
        raise ExerciseCheckError(
            f"hint level must be 0 (hint), 1 (question), 2 (partial) or 3 (solution), got {level}"
        )
    if level == 3:
        return "Solution de référence :\n\n```python\n" + exercise.solution.rstrip() + "\n```"
    if not exercise.hints:
        return "Relisez l'énoncé : quelles entrées, quelle sortie, quelle formule ?"
    return exercise.hints[min(level, len(exercise.hints) - 1)]


# -- helpers -------------------------------------------------------------------------------------------------


def _load(exercise_id: str) -> Exercise:
    try:
        return load_exercise(exercise_id)
    except ExerciseError as exc:
        raise ExerciseCheckError(str(exc)) from None


def _test_names(exercise: Exercise) -> tuple[list[str], dict[str, str]]:
    """The judge's ``test_*`` functions in file order, with their docstrings, read without running it."""
    try:
        tree = ast.parse(exercise.tests)
    except SyntaxError as exc:
        raise ExerciseCheckError(f"the judge of {exercise.id} is broken ({exc}); fix its tests.py") from None
    funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
    return [f.name for f in funcs], {f.name: (ast.get_docstring(f) or "").strip() for f in funcs}


def _judge(exercise: Exercise, code: str, records: list[dict[str, Any]], names: list[str]) -> list[dict[str, Any]]:
    """Trusted verdicts from the sandbox's records: an import failure, or one replay per recorded test."""
    first: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        name = rec.get("name")
        if name == "import":
            line = rec.get("line") if isinstance(rec.get("line"), int) else None
            return [{"name": "import", "passed": False, "line": line, "message": str(rec.get("message", ""))[:400]}]
        if name in names and name not in first and isinstance(rec.get("events"), list):
            first[name] = rec["events"]
    helper = exercise.judge_files()[JUDGE_HELPER]
    verdicts = replay_all(exercise.tests, helper, code, names, first)
    return [asdict(v) for v in verdicts if v.name in first]


def _parse_verdicts(stdout: str, mark: str) -> tuple[list[dict[str, Any]], str]:
    verdicts, rest = [], []
    for line in stdout.splitlines(keepends=True):
        if line.startswith(mark):
            try:
                verdicts.append(json.loads(line[len(mark):]))
            except json.JSONDecodeError:
                rest.append(line)
        else:
            rest.append(line)
    return verdicts, "".join(rest)


def _complete(verdicts: list[dict[str, Any]], names: list[str], docs: dict[str, str],
              run: SandboxResult) -> list[TestVerdict]:
    """Turn raw verdicts into ``TestVerdict``s; tests that never reported fail with the sandbox's reason."""
    fields = set(TestVerdict.__dataclass_fields__)
    out = [TestVerdict(**{k: v for k, v in v.items() if k in fields}) for v in verdicts]
    if out and out[0].name == "import":
        return out
    seen = {t.name for t in out}
    why = _why_stopped(run)
    for name in names:
        if name not in seen:
            out.append(TestVerdict(name=name, passed=False, message=why))
    for t in out:
        t.description = docs.get(t.name, "")
    order = {n: i for i, n in enumerate(names)}
    return sorted(out, key=lambda t: order.get(t.name, -1))


def _why_stopped(run: SandboxResult) -> str:
    return {
        "timeout": "non exécuté : temps dépassé (boucle infinie ?)",
        "memory": "non exécuté : mémoire épuisée",
        "output_limit": "non exécuté : trop d'affichage (print dans une boucle ?)",
        "killed": "non exécuté : processus tué",
    }.get(run.reason, f"non exécuté : {run.exception or 'arrêt inattendu'}")


def _summary(passed: bool, n_ok: int, tests: list[TestVerdict], run: SandboxResult) -> str:
    if passed:
        return f"{n_ok}/{len(tests)} tests réussis."
    if tests and tests[0].name == "import":
        where = f" (ligne {tests[0].line})" if tests[0].line else ""
        return f"Le code ne s'exécute pas{where} : {tests[0].message}"
    first = next(t for t in tests if not t.passed)
    return f"{n_ok}/{len(tests)} tests réussis ; premier échec : {first.name} — {first.message}"
