"""`quant-tutor exercises list|show` and `quant-tutor check ID FILE` (exit 0 pass, 1 fail, 2 bad input)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from knowledge.exercise_bank import list_exercises, load_exercise

runner = CliRunner()
needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")


def test_list_json() -> None:
    result = runner.invoke(app, ["exercises", "list", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == [i.id for i in list_exercises()]
    assert {"id": "matrices_sans_numpy", "roadmap_item": "03.8"}.items() <= data[0].items()


def test_list_text_and_show() -> None:
    listed = runner.invoke(app, ["exercises", "list"])
    assert listed.exit_code == 0 and "kupiec_pof" in listed.stdout and "37.4" in listed.stdout
    shown = runner.invoke(app, ["exercises", "show", "kupiec", "--hint", "0"])
    assert shown.exit_code == 0
    assert "# Test de Kupiec (POF)" in shown.stdout and "def kupiec_pof" in shown.stdout
    assert load_exercise("kupiec_pof").hints[0] in shown.stdout
    as_json = json.loads(runner.invoke(app, ["exercises", "show", "attention", "--json"]).stdout)
    assert as_json["id"] == "attention" and as_json["starter"].startswith("import numpy")


@needs_bwrap
def test_check_pass_and_fail_exit_codes(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(load_exercise("ratio_sharpe").solution)
    bad.write_text("def sharpe_ratio(returns, rf=0.0, periods_per_year=252):\n    return 0.0\n")
    ok = runner.invoke(app, ["check", "ratio_sharpe", str(good), "--json"])
    assert ok.exit_code == 0
    data = json.loads(ok.stdout)
    assert data["passed"] is True and data["roadmap_item"] == "37.5" and data["n_passed"] == 3
    ko = runner.invoke(app, ["check", "sharpe", str(bad)])
    assert ko.exit_code == 1
    assert "✘ test_daily" in ko.stdout and "obtenu  : 0.0" in ko.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [(["check", "ratio_sharpe", "/no/such/file.py"], "is not a file"),
     (["check", "volatilité stochastique", "FILE"], "unknown exercise"),
     (["exercises", "show", "zzz_unknown"], "unknown exercise")],
)
def test_bad_input_exits_2(args: list[str], message: str, tmp_path: Path) -> None:
    f = tmp_path / "s.py"
    f.write_text("x = 1\n")
    result = runner.invoke(app, [str(f) if a == "FILE" else a for a in args])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
