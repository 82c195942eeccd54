from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app

runner = CliRunner()


def test_config_prints_effective_settings(qt_home: Path, monkeypatch) -> None:
    from knowledge.config import get_settings

    monkeypatch.setenv("QT_CHUNK_SIZE", "900")
    get_settings.cache_clear()
    result = runner.invoke(app, ["config", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["home"] == str(qt_home) and data["chunk_size"] == 900 and data["llm_backend"] == "embedded"


def test_config_reads_toml(qt_home: Path) -> None:
    from knowledge.config import get_settings

    (qt_home / "quant-tutor.toml").write_text('llm_backend = "openai"\nllm_model = "qwen2.5:7b"\n')
    get_settings.cache_clear()
    data = json.loads(runner.invoke(app, ["config", "--json"]).stdout)
    assert (data["llm_backend"], data["llm_model"]) == ("openai", "qwen2.5:7b")


def test_invalid_setting_is_a_clear_error(monkeypatch) -> None:
    from knowledge.config import get_settings

    monkeypatch.setenv("QT_CHUNK_SIZE", "ten")
    get_settings.cache_clear()
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 2 and "chunk_size" in result.output and "Traceback" not in result.output


@pytest.mark.integration
def test_ingest_search_ask_json(course_dir: Path) -> None:
    result = runner.invoke(app, ["ingest", str(course_dir), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) >= {"files", "chunks", "added", "updated", "removed", "skipped", "seconds"}
    assert (report["files"], report["added"]) == (3, 4)

    hits = json.loads(runner.invoke(app, ["search", "backpropagation", "-k", "2", "--json"]).stdout)
    assert len(hits) == 2 and hits[0]["chapter"] == "19"
    assert set(hits[0]) == {"id", "text", "source", "heading", "phase", "chapter", "score"}

    result = runner.invoke(app, ["ask", "Qu'est-ce que la VaR ?", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert {"answer", "citations", "tool_calls", "backend", "seconds"} <= set(answer)
    assert answer["citations"][0]["chapter"] == "37" and "[1]" in answer["answer"]


def test_bad_input_never_tracebacks() -> None:
    result = runner.invoke(app, ["ask", "   "])
    assert result.exit_code == 2 and "empty" in result.output
    result = runner.invoke(app, ["search", "x", "-k", "0"])
    assert result.exit_code == 2


@pytest.mark.integration
def test_ask_with_a_file_checks_the_exercise(tmp_path: Path, ingested) -> None:
    from knowledge.exercise_bank import load_exercise

    solution = tmp_path / "mon_exercice.py"
    solution.write_text(load_exercise("ratio_sharpe").solution, encoding="utf-8")
    result = runner.invoke(app, ["ask", "Vérifie mon exercice", "--file", str(solution), "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    call = answer["tool_calls"][0]
    assert call["name"] == "check_exercise" and call["args"]["exercise_id"] == "ratio_sharpe"
    assert call["result"]["passed"] is True


@pytest.mark.integration
def test_ask_backtest_and_garch_var_json(ingested) -> None:
    bt = json.loads(runner.invoke(app, ["ask", "Backteste un croisement de moyennes 20/50 sur le S&P 500",
                                        "--json"]).stdout)
    assert bt["tool_calls"][0]["result"]["n_trades"] == 58
    var = json.loads(runner.invoke(app, ["ask", "Quelle est la VaR à 99 % du S&P 500 avec un GARCH ?",
                                         "--json"]).stdout)
    r = var["tool_calls"][0]["result"]
    assert r["method"] == "garch" and f"{r['var_pct']:.2f} %" in var["answer"]


def test_ask_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ask", "Vérifie", "--file", str(tmp_path / "nope.py")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_app_command_passes_the_streamlit_config_as_flags() -> None:
    from app.cli.core import STREAMLIT_CONFIG, streamlit_flags

    assert STREAMLIT_CONFIG.is_file()  # .streamlit/config.toml at the repository root
    assert "--client.toolbarMode=minimal" in streamlit_flags(STREAMLIT_CONFIG)
