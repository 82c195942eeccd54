"""The Model lab page trains iris logistic regression and shows the same accuracy as demos.demo."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from models import demos

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "app_pages" / "model_lab.py")


def test_model_lab_trains_logistic_on_iris_and_shows_accuracy() -> None:
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception
    assert at.selectbox(key="model").value == "logistic"
    at.selectbox(key="dataset").set_value("iris")
    at.number_input(key="epochs").set_value(5)
    at.button[0].click().run()
    assert not at.exception
    expected = demos.demo("logistic", "iris", 5, seed=0)["test_accuracy"]
    metric = at.metric[0]
    assert metric.label == "Exactitude (test)"
    assert metric.value == f"{expected:.3f}"
    assert len(at.get("plotly_chart")) >= 1


def test_model_lab_lists_every_demo_model() -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    options = at.selectbox(key="model").options
    assert [o.split(" — ")[0] for o in options] == list(demos.DEMOS)
    assert options[1] == "logistic — régression logistique (softmax) avec L2"
    assert at.title[0].value == "Labo modèles"


def test_a_new_run_replaces_the_last_result() -> None:
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.selectbox(key="dataset").set_value("iris")
    at.number_input(key="epochs").set_value(2)
    at.button[0].click().run()
    assert len(at.metric) == 3 and at.subheader[0].value == "logistic sur iris"
    at.button[0].click().run()
    assert not at.exception
    assert len(at.metric) == 3 and len(at.subheader) == 1  # one result, never the old one beside the new
