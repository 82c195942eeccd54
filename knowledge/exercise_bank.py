"""The exercise bank: ``knowledge/exercises/<id>/`` folders, read-only.

Each folder holds ``exercise.json`` (id, French title, chapter, roadmap item, topic, aliases),
``statement.md``, ``starter.py``, ``solution.py`` (the reference, shown only on request), ``tests.py`` (the
judge: ``test_*`` functions importing the learner's module ``solution_under_test``) and ``hints.md``
(progressive hints separated by ``---``: a hint, a guiding question, a partial solution). ``_judge.py``
holds the judges' shared helpers.

Examples
--------
>>> [e.id for e in list_exercises()][:2]           # doctest: +SKIP
['matrices_sans_numpy', 'gradients_numeriques']
>>> load_exercise("sharpe").info.id                 # an alias  # doctest: +SKIP
'ratio_sharpe'
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from knowledge.errors import ExerciseError
from knowledge.textio import fold

EXERCISES_DIR = Path(__file__).resolve().parent / "exercises"
JUDGE_HELPER = "_judge.py"
_REQUIRED = ("exercise.json", "statement.md", "starter.py", "solution.py", "tests.py", "hints.md")
_ITEM_ID = re.compile(r"^\d{2}\.\d+$")


@dataclass(frozen=True)
class ExerciseInfo:
    """What lists and routers need to know about an exercise."""

    id: str
    title: str
    chapter: str
    roadmap_item: str
    topic: str
    functions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["functions"], d["aliases"] = list(self.functions), list(self.aliases)
        return d


@dataclass(frozen=True)
class Exercise:
    """One exercise with all its texts."""

    info: ExerciseInfo
    statement: str
    starter: str
    solution: str
    tests: str
    hints: tuple[str, ...] = field(default_factory=tuple)
    judge_helper: str = ""

    @property
    def id(self) -> str:
        return self.info.id

    def judge_files(self) -> dict[str, str]:
        """The files the judge needs next to the learner's module."""
        return {"tests.py": self.tests, JUDGE_HELPER: self.judge_helper}


def list_exercises(root: Path | None = None) -> list[ExerciseInfo]:
    """All exercises, ordered by chapter then roadmap item."""
    infos = [_read_info(d) for d in _exercise_dirs(root or EXERCISES_DIR)]
    return sorted(infos, key=lambda i: (i.chapter, int(i.roadmap_item.split(".")[1]), i.id))


def load_exercise(exercise_id: str, root: Path | None = None) -> Exercise:
    """Load one exercise by id, alias or a close spelling.

    Raises
    ------
    ExerciseError
        The id is unknown (the message lists the valid ids and the nearest one) or the folder is incomplete.
    """
    base = root or EXERCISES_DIR
    folder = base / resolve_exercise_id(exercise_id, root=base)
    missing = [f for f in _REQUIRED if not (folder / f).is_file()]
    if missing:
        raise ExerciseError(f"exercise {folder.name} is incomplete: add {', '.join(missing)} in {folder}")
    parts = re.split(r"^---\s*$", _read(folder / "hints.md"), flags=re.M)
    hints = tuple(h.strip() for h in parts if h.strip())
    helper = base / JUDGE_HELPER
    return Exercise(
        info=_read_info(folder),
        statement=_read(folder / "statement.md"),
        starter=_read(folder / "starter.py"),
        solution=_read(folder / "solution.py"),
        tests=_read(folder / "tests.py"),
        hints=hints,
        judge_helper=_read(helper) if helper.is_file() else "",
    )


def resolve_exercise_id(name: str, root: Path | None = None) -> str:
    """The exercise id meant by ``name`` (id, alias, or title, ignoring case and accents)."""
    infos = list_exercises(root)
    key = _norm(name)
    for info in infos:
        if key in {_norm(info.id), _norm(info.title), *(_norm(a) for a in info.aliases)}:
            return info.id
    names = {_norm(n): i.id for i in infos for n in (i.id, *i.aliases)}
    near = difflib.get_close_matches(key, list(names), n=1, cutoff=0.75)
    if near and len(key) >= 4:
        return names[near[0]]
    guess = difflib.get_close_matches(key, list(names), n=1, cutoff=0.5)
    hint = f" Did you mean {names[guess[0]]!r}?" if guess else ""
    valid = ", ".join(i.id for i in infos)
    raise ExerciseError(
        f"unknown exercise {name!r}.{hint} Valid ids: {valid} (see `quant-tutor exercises list`)"
    )


def find_exercise_in_text(text: str, root: Path | None = None) -> str | None:
    """The exercise id whose id or alias appears in free text (for routing), else ``None``."""
    words = _norm(text)
    best: tuple[int, str] | None = None
    for info in list_exercises(root):
        for name in (info.id, *info.aliases):
            n = _norm(name)
            found = re.search(rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])", words)
            if found and (best is None or len(n) > best[0]):
                best = (len(n), info.id)
    return best[1] if best else None


# -- reading -------------------------------------------------------------------------------------------------


def _exercise_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        raise ExerciseError(f"exercise folder {root} does not exist; reinstall quant-tutor")
    return [d for d in sorted(root.iterdir()) if d.is_dir() and (d / "exercise.json").is_file()]


@lru_cache(maxsize=256)
def _read_cached(path: Path, mtime: float) -> str:
    return path.read_text(encoding="utf-8")


def _read(path: Path) -> str:
    return _read_cached(path, path.stat().st_mtime)


def _read_info(folder: Path) -> ExerciseInfo:
    try:
        meta = json.loads(_read(folder / "exercise.json"))
    except json.JSONDecodeError as exc:
        raise ExerciseError(f"{folder / 'exercise.json'} is not valid JSON ({exc}); fix the file") from None
    for key in ("id", "title", "chapter", "roadmap_item", "topic"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise ExerciseError(f"{folder / 'exercise.json'}: field {key!r} must be a non-empty string")
    if meta["id"] != folder.name:
        raise ExerciseError(f"{folder / 'exercise.json'}: id {meta['id']!r} must equal the folder name")
    if not _ITEM_ID.match(meta["roadmap_item"]) or not meta["roadmap_item"].startswith(meta["chapter"] + "."):
        raise ExerciseError(f"{folder / 'exercise.json'}: roadmap_item must look like '{meta['chapter']}.N'")
    return ExerciseInfo(
        id=meta["id"], title=meta["title"], chapter=meta["chapter"], roadmap_item=meta["roadmap_item"],
        topic=meta["topic"], functions=tuple(meta.get("functions", ())),
        aliases=tuple(meta.get("aliases", ())),
    )


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", fold(text)).strip()
