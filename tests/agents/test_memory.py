"""Conversations in the memory database: real SQLite files, a database of the previous version, real processes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agents.memory import Memory, short_title

REPO = Path(__file__).resolve().parents[2]

#: the schema the previous version created (no conversations), as SQLAlchemy wrote it
OLD_SCHEMA = """
CREATE TABLE qt_turns (
    id INTEGER NOT NULL, learner VARCHAR(64) NOT NULL, role VARCHAR(16) NOT NULL, content TEXT NOT NULL,
    meta JSON NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (id)
);
CREATE INDEX ix_qt_turns_learner ON qt_turns (learner);
"""


def _old_database(path: Path) -> None:
    """A conversations.db of the previous version: two learners' turns, one with a tool call and a hint."""
    rows = [
        ("alice", "user", "Qu'est-ce que la VaR ?", {}, "2026-01-02 10:00:00.000000"),
        ("alice", "assistant", "La VaR est…", {"tool_calls": [], "mode": "card"}, "2026-01-02 10:00:01.000000"),
        ("bob", "user", "un indice pour var_historique", {}, "2026-01-03 09:00:00.000000"),
        ("bob", "assistant", "Indice…", {"hint_for": "var_historique", "mode": "socratic"},
         "2026-01-03 09:00:01.000000"),
        ("alice", "user", "Backteste un croisement 20/50", {}, "2026-01-04 08:00:00.000000"),
        ("alice", "assistant", "58 transactions", {"tool_calls": [{"name": "backtest_strategy", "args": {},
                                                                    "result": {"trades": 58}}]},
         "2026-01-04 08:00:02.000000"),
    ]
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
        db.executemany("INSERT INTO qt_turns (learner, role, content, meta, created_at) VALUES (?, ?, ?, ?, ?)",
                       [(lr, role, text, json.dumps(meta), at) for lr, role, text, meta, at in rows])
    db.close()


def test_an_old_database_is_migrated_without_losing_a_turn(tmp_path: Path) -> None:
    path = tmp_path / "conversations.db"
    _old_database(path)
    memory = Memory(path)
    [alice] = memory.conversations("alice")
    assert alice.title == "Qu'est-ce que la VaR ?" and alice.turns == 4
    assert alice.created_at.date().isoformat() == "2026-01-02" and alice.updated_at.date().isoformat() == "2026-01-04"
    turns = memory.turns("alice", alice.id)
    assert [t.content for t in turns] == ["Qu'est-ce que la VaR ?", "La VaR est…", "Backteste un croisement 20/50",
                                          "58 transactions"]
    assert memory.last_tool_call("alice", alice.id)["result"] == {"trades": 58}
    [bob] = memory.conversations("bob")
    assert memory.hint_level("bob", "var_historique", bob.id) == 1
    # opening it again migrates nothing twice, and new turns go on in the migrated conversation
    again = Memory(path)
    assert [c.id for c in again.conversations("alice")] == [alice.id]
    assert again.append("alice", "user", "et à 95 % ?") == alice.id
    assert len(again.turns("alice", alice.id)) == 5


def test_conversations_keep_their_own_memory(tmp_path: Path) -> None:
    memory = Memory(tmp_path / "c.db")
    first = memory.append("l", "user", "Backteste un croisement de moyennes 20/50 sur le S&P 500 avec des coûts")
    memory.append("l", "assistant", "…", {"tool_calls": [{"name": "backtest_strategy", "args": {}, "result": {}}],
                                         "hint_for": "var_historique"}, conversation=first)
    second = memory.new_conversation("l")
    assert second != first and memory.new_conversation("l") == second  # an empty one is reused, not piled up
    assert memory.last_tool_call("l", second) is None and memory.hint_level("l", "var_historique", second) == 0
    assert memory.last_tool_call("l", first)["name"] == "backtest_strategy"
    assert memory.current("l") == second and memory.current("l", first) == first
    assert memory.current("someone-else", first) != first  # another learner's conversation is never used
    titles = [c.title for c in memory.conversations("l")]
    assert titles == ["", "Backteste un croisement de moyennes 20/50 sur le S&P 500…"]


def test_rename_and_delete(tmp_path: Path) -> None:
    memory = Memory(tmp_path / "c.db")
    cid = memory.append("l", "user", "bonjour")
    memory.append("l", "assistant", "salut", conversation=cid)
    assert memory.rename_conversation("l", cid, "  Mes   questions ") and not memory.rename_conversation("l", cid, " ")
    assert not memory.rename_conversation("other", cid, "volé")
    assert memory.conversations("l")[0].title == "Mes questions"
    assert memory.delete_conversation("other", cid) == 0 and memory.turns("l", cid)
    assert memory.delete_conversation("l", cid) == 2
    assert memory.conversations("l") == [] and memory.recent("l") == []


@pytest.mark.parametrize(("message", "title"), [
    ("  Qu'est-ce que\n la VaR ?  ", "Qu'est-ce que la VaR ?"),
    ("x" * 80, "x" * 59 + "…"),
    ("Vérifie mon code\n```python\nprint(1)\n```", "Vérifie mon code"),
    ("```python\nprint(1)\n```", "python print(1)"),
])
def test_the_default_title_is_the_first_question_shortened(message: str, title: str) -> None:
    assert short_title(message) == title


OPEN = """
import sys, time
from pathlib import Path
from agents.memory import Memory
start, path = float(sys.argv[1]), Path(sys.argv[2])
while time.time() < start:  # imports done: both processes open the database within a millisecond
    time.sleep(0.0005)
m = Memory(path)
m.append("l", "user", sys.argv[3])
print(len(m.conversations("l")))
"""


@pytest.mark.integration
@pytest.mark.parametrize("old", [False, True], ids=["fresh", "old-version"])
def test_two_processes_open_the_same_database_at_once(tmp_path: Path, old: bool) -> None:
    """The bug: two processes ran create_all at once and one died on "table qt_turns already exists"; with an
    old database, both would migrate it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for attempt in range(2):  # a few rounds: a race rarely shows on the first
        path = tmp_path / f"c{attempt}.db"
        if old:
            _old_database(path)
        start = time.time() + 2.0
        procs = [subprocess.Popen([sys.executable, "-c", OPEN, str(start), str(path), f"p{n}"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert [err[-600:] for p, (_, err) in zip(procs, outs, strict=True) if p.returncode] == []
        memory = Memory(path)
        assert len(memory.conversations("l")) == 1  # one conversation, created (or migrated) once
        assert len(memory.conversations("alice" if old else "l")) == 1
        assert sorted(t.content for t in memory.recent("l", 10))[-2:] == ["p0", "p1"]
