"""Page: Model lab. Train a from-scratch model with a live loss curve; sample from the mini-GPT.

The live training and the final result share one slot: a new run replaces the last result at once, so the page
never shows stale numbers while a model trains."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from app.i18n import t
from models import demos

COURSE_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "course"


def loss_figure(history: list[dict[str, Any]], x_title: str) -> go.Figure:
    fig = go.Figure()
    xs = [r["epoch"] for r in history]
    fig.add_scatter(x=xs, y=[r["loss"] for r in history], name=t("model_lab.train_loss"), mode="lines+markers")
    if any("val_loss" in r for r in history):
        fig.add_scatter(x=xs, y=[r.get("val_loss") for r in history], name=t("model_lab.val_loss"),
                        mode="lines+markers")
    fig.update_layout(xaxis_title=x_title, yaxis_title=t("model_lab.loss"), height=350, margin={"t": 30, "b": 30})
    return fig


def _x_title(dataset: str) -> str:
    return t("model_lab.steps") if dataset == "course" else t("model_lab.epoch")


def _show(result: dict[str, Any]) -> None:
    st.subheader(t("model_lab.result", model=result["model"], dataset=t(f"model_lab.data_{result['dataset']}")))
    st.plotly_chart(loss_figure(result["history"], _x_title(result["dataset"])), width="stretch", key="final_curve")
    cols = st.columns(3)
    last = result["history"][-1]
    if "test_accuracy" in result:
        cols[0].metric(t("model_lab.accuracy"), f"{result['test_accuracy']:.3f}")
    elif "test_r2" in result:
        cols[0].metric(t("model_lab.r2"), f"{result['test_r2']:.3f}")
    elif "unigram_entropy" in result:
        cols[0].metric(t("model_lab.entropy"), f"{result['unigram_entropy']:.3f}")
    cols[1].metric(t("model_lab.final_loss"), f"{last.get('val_loss', last['loss']):.4f}")
    cols[2].metric(t("model_lab.seconds"), f"{result['seconds']:.1f}")
    if result.get("samples"):
        st.subheader(t("model_lab.neighbours") if result["model"] == "word2vec" else t("model_lab.samples"))
        for sample in result["samples"]:
            st.code(sample, language=None)


st.title(t("model_lab.title"))
st.caption(t("model_lab.intro"))
st.session_state.setdefault("model_lab_result", None)

names = list(demos.DEMOS)
model_name = st.selectbox(t("model_lab.model"), names, index=names.index("logistic"), key="model",
                          format_func=lambda n: f"{n} — {t('model_lab.desc_' + n)}")
datasets, default_epochs, _ = demos.DEMOS[model_name]
dataset = st.selectbox(t("model_lab.dataset"), list(datasets), key="dataset",
                       format_func=lambda d: t(f"model_lab.data_{d}"))
epochs = st.number_input(t("model_lab.epochs_steps") if dataset == "course" else t("model_lab.epochs"),
                         min_value=1, max_value=200, value=default_epochs, key="epochs")
seed = st.number_input(t("model_lab.seed"), min_value=0, value=0, key="seed")
train = st.button(t("model_lab.train"), type="primary")
slot = st.empty()

if train:
    st.session_state["model_lab_result"] = None
    with slot.container():
        placeholder, progress = st.empty(), st.progress(0.0, text=t("model_lab.training"))
        live: list[dict[str, Any]] = []

        def on_epoch(record: dict[str, Any]) -> None:
            live.append(record)
            placeholder.plotly_chart(loss_figure(live, _x_title(dataset)), width="stretch",
                                     key=f"live_curve_{len(live)}")
            progress.progress(min(len(live) / int(epochs), 1.0), text=t("model_lab.training"))

        st.session_state["model_lab_result"] = demos.demo(
            model_name, dataset, int(epochs), seed=int(seed), course_dir=COURSE_DIR, on_epoch=on_epoch
        )

result = st.session_state["model_lab_result"]
if result is not None:
    with slot.container():
        _show(result)
