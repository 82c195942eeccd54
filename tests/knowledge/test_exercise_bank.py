"""The exercise bank: every folder is complete, consistent and tied to a real roadmap item."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from knowledge.errors import ExerciseError
from knowledge.exercise_bank import (
    EXERCISES_DIR,
    find_exercise_in_text,
    list_exercises,
    load_exercise,
    resolve_exercise_id,
)
from knowledge.textio import read_text

REQUIRED_TOPICS = {
    "matrices_sans_numpy", "gradients_numeriques", "statistiques_descriptives", "regression_lineaire",
    "regression_logistique", "mlp_retropropagation", "rnn_pas_avant", "word2vec_sgns", "attention",
    "bloc_transformer", "echantillonnage_gpt", "rendements", "var_historique", "garch_vraisemblance",
    "backtest_sma", "ratio_sharpe", "kupiec_pof",
}
IDS = sorted(p.name for p in EXERCISES_DIR.iterdir() if (p / "exercise.json").is_file())


def _roadmap_items(text: str) -> dict[str, str]:
    """``{"03.8": "**Exercice**: ..."}``: checkbox items numbered from 1 under each ``#### Chapitre NN``."""
    items, chapter, n = {}, None, 0
    for line in text.splitlines():
        m = re.match(r"#### Chapitre (\d+)", line)
        if m:
            chapter, n = m.group(1), 0
        elif line.startswith("#"):
            chapter = None
        elif chapter and re.match(r"\s*- \[[ xX]\]", line):
            n += 1
            items[f"{chapter}.{n}"] = line.split("]", 1)[1].strip()
    return items


def test_all_required_exercises_exist() -> None:
    assert REQUIRED_TOPICS <= set(IDS)
    infos = list_exercises()
    assert [i.id for i in infos] != [] and {i.id for i in infos} == set(IDS)
    keys = [(i.chapter, int(i.roadmap_item.split(".")[1])) for i in infos]
    assert keys == sorted(keys)


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_folder_is_complete(exercise_id: str) -> None:
    ex = load_exercise(exercise_id)
    assert ex.info.roadmap_item.startswith(ex.info.chapter + ".")
    assert len(ex.hints) == 3, "hints.md: a hint, a guiding question, a partial solution"
    assert "```python" in ex.hints[2]
    assert ex.statement.startswith("# ") and ex.info.title
    judge_tests = [n.name for n in ast.parse(ex.tests).body
                   if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
    assert len(judge_tests) >= 2
    for source in (ex.starter, ex.solution):
        defined = {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
        assert set(ex.info.functions) <= defined
    assert "Mismatch" in ex.judge_helper and set(ex.judge_files()) == {"tests.py", "_judge.py"}


def test_roadmap_items_point_at_the_learner_roadmap(seeds_dir: Path) -> None:
    items = _roadmap_items(read_text(seeds_dir / "003_82f3ddd96d8b1539.txt"))
    assert items["03.8"].startswith("**Exercice**: Implémentation de matrices sans NumPy")
    expected_words = {
        "matrices_sans_numpy": "matrices", "gradients_numeriques": "Gradient", "statistiques_descriptives":
        "descriptives", "regression_lineaire": "linéaire", "regression_logistique": "logistique",
        "mlp_retropropagation": "Backward", "rnn_pas_avant": "RNN", "word2vec_sgns": "Word2Vec",
        "attention": "Self-attention", "bloc_transformer": "from scratch", "echantillonnage_gpt": "top-k",
        "rendements": "Time series", "var_historique": "VaR", "kupiec_pof": "VaR",
        "garch_vraisemblance": "GARCH",
        "ratio_sharpe": "Portfolio", "backtest_sma": "Backtesting",
    }
    for info in list_exercises():
        assert info.roadmap_item in items, info.id
        assert expected_words[info.id] in items[info.roadmap_item], (info.id, items[info.roadmap_item])


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ratio_sharpe", "ratio_sharpe"), ("Sharpe", "ratio_sharpe"), ("KUPIEC", "kupiec_pof"),
     ("Matrices sans NumPy : produit, transposée, déterminant", "matrices_sans_numpy"),
     ("garch_vraisemblanse", "garch_vraisemblance"), ("régression logistique", "regression_logistique")],
)
def test_resolve_by_id_alias_title_or_typo(name: str, expected: str) -> None:
    assert resolve_exercise_id(name) == expected


def test_unknown_id_lists_valid_ids_and_nearest() -> None:
    with pytest.raises(ExerciseError, match=r"'sharpe_sortino_calmar'\. Did you mean 'ratio_sharpe'"):
        load_exercise("sharpe_sortino_calmar")
    with pytest.raises(ExerciseError, match="Valid ids: matrices_sans_numpy, ") as err:
        load_exercise("volatilité stochastique")
    assert "kupiec_pof" in str(err.value) and "quant-tutor exercises list" in str(err.value)


def test_find_exercise_in_text() -> None:
    assert find_exercise_in_text("Vérifie mon exercice sur le test de Kupiec stp") == "kupiec_pof"
    assert find_exercise_in_text("check my backtest_sma solution") == "backtest_sma"
    assert find_exercise_in_text("Quelle est la météo ?") is None


def test_malformed_folder_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "oops"
    bad.mkdir()
    (bad / "exercise.json").write_text(json.dumps({"id": "other", "title": "t", "chapter": "03",
                                                   "roadmap_item": "03.1", "topic": "maths"}))
    with pytest.raises(ExerciseError, match="must equal the folder name"):
        list_exercises(tmp_path)
    (bad / "exercise.json").write_text(json.dumps({"id": "oops", "title": "t", "chapter": "03",
                                                   "roadmap_item": "03.1", "topic": "maths"}))
    with pytest.raises(ExerciseError, match="incomplete: add statement.md"):
        load_exercise("oops", root=tmp_path)
