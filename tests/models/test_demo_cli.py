"""demos.demo's contract and the ``quant-tutor train`` command."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli import app
from models import demos
from models.errors import UnknownDatasetError, UnknownModelError


def test_demo_returns_a_json_ready_history_and_streams_epochs() -> None:
    seen: list[dict] = []
    result = demos.demo("logistic", "iris", 4, seed=3, on_epoch=seen.append)
    assert json.loads(json.dumps(result)) == result
    assert result["model"] == "logistic" and result["dataset"] == "iris" and result["epochs"] == 4
    assert [r["epoch"] for r in result["history"]] == [1, 2, 3, 4] and seen == result["history"]
    assert {"loss", "val_loss", "accuracy"} <= set(result["history"][0])
    assert 0.0 <= result["test_accuracy"] <= 1.0 and result["seconds"] >= 0
    again = demos.demo("logistic", "iris", 4, seed=3)
    assert again["history"] == result["history"]  # seeded: reproducible


def test_demo_rejects_unknown_names_with_the_valid_ones() -> None:
    with pytest.raises(UnknownModelError, match="logistic, mlp"):
        demos.demo("svm", "iris")
    with pytest.raises(UnknownDatasetError, match="valid datasets for it: digits"):
        demos.demo("cnn", "iris")


def test_gpt_demo_on_the_shipped_text_returns_samples(tmp_path) -> None:
    result = demos.demo("gpt", "course", 1, course_dir=tmp_path)  # empty folder: the shipped French text
    assert result["history"][-1]["epoch"] == 50  # one round of 50 optimisation steps
    assert len(result["samples"]) == 3 and all(s.startswith("Le modèle ") for s in result["samples"])
    assert result["history"][-1]["val_loss"] < result["unigram_entropy"] + 0.5


def test_linear_demo_gradient_descent_matches_the_closed_form() -> None:
    result = demos.demo("linear", "iris", 60)
    assert result["weights"] == pytest.approx(result["closed_form_weights"], abs=0.05)
    assert result["test_r2"] > 0.9


runner = CliRunner()


def test_cli_train_json_matches_demo() -> None:
    out = runner.invoke(app, ["train", "logistic", "--dataset", "iris", "--epochs", "3", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    expected = demos.demo("logistic", "iris", 3)
    assert data["history"] == expected["history"] and data["test_accuracy"] == expected["test_accuracy"]


def test_cli_train_prints_a_table() -> None:
    out = runner.invoke(app, ["train", "mlp", "--dataset", "iris", "--epochs", "2"])
    assert out.exit_code == 0, out.output
    assert "mlp on iris" in out.stdout and "test_accuracy" in out.stdout and "val_loss" in out.stdout


def test_cli_train_bad_input_exits_2_without_traceback() -> None:
    out = runner.invoke(app, ["train", "svm"])
    assert out.exit_code == 2 and "choose one of" in out.stderr and "Traceback" not in out.output
    out = runner.invoke(app, ["train", "cnn", "--dataset", "iris"])
    assert out.exit_code == 2 and "valid datasets" in out.stderr
