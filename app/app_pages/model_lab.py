"""Page: Model lab. Train a from-scratch model with a live loss curve; sample from the mini-GPT."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from models import demos

COURSE_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "course"


def loss_figure(history: list[dict[str, Any]], x_title: str) -> go.Figure:
    fig = go.Figure()
    xs = [r["epoch"] for r in history]
    fig.add_scatter(x=xs, y=[r["loss"] for r in history], name="train loss", mode="lines+markers")
    if any("val_loss" in r for r in history):
        fig.add_scatter(
            x=xs, y=[r.get("val_loss") for r in history], name="validation loss", mode="lines+markers"
        )
    fig.update_layout(xaxis_title=x_title, yaxis_title="loss", height=350, margin={"t": 30, "b": 30})
    return fig


st.title("Model lab")
st.caption("Modèles écrits de zéro (NumPy + autograd maison), entraînés en direct sur votre machine.")
st.session_state.setdefault("model_lab_result", None)

names = list(demos.DEMOS)
model_name = st.selectbox(
    "Modèle",
    names,
    index=names.index("logistic"),
    key="model",
    format_func=lambda n: f"{n} — {demos.DEMOS[n][2]}",
)
datasets, default_epochs, _ = demos.DEMOS[model_name]
dataset = st.selectbox("Jeu de données", list(datasets), key="dataset")
epochs = st.number_input(
    "Époques" + (" (tours de 50 pas)" if dataset == "course" else ""),
    min_value=1,
    max_value=200,
    value=default_epochs,
    key="epochs",
)
seed = st.number_input("Graine", min_value=0, value=0, key="seed")

if st.button("Entraîner", type="primary"):
    placeholder, progress = st.empty(), st.progress(0.0)
    live: list[dict[str, Any]] = []
    x_title = "pas" if dataset == "course" else "époque"

    def on_epoch(record: dict[str, Any]) -> None:
        live.append(record)
        placeholder.plotly_chart(loss_figure(live, x_title), width="stretch", key=f"live_curve_{len(live)}")
        progress.progress(min(len(live) / int(epochs), 1.0))

    with st.spinner("Entraînement…"):
        st.session_state["model_lab_result"] = demos.demo(
            model_name, dataset, int(epochs), seed=int(seed), course_dir=COURSE_DIR, on_epoch=on_epoch
        )
    placeholder.empty()

result = st.session_state["model_lab_result"]
if result is not None:
    st.subheader(f"{result['model']} sur {result['dataset']}")
    st.plotly_chart(
        loss_figure(result["history"], "pas" if result["dataset"] == "course" else "époque"),
        width="stretch",
        key="final_curve",
    )
    cols = st.columns(3)
    last = result["history"][-1]
    if "test_accuracy" in result:
        cols[0].metric("Accuracy (test)", f"{result['test_accuracy']:.3f}")
    elif "test_r2" in result:
        cols[0].metric("R² (test)", f"{result['test_r2']:.3f}")
    elif "unigram_entropy" in result:
        cols[0].metric("Entropie unigramme (nats)", f"{result['unigram_entropy']:.3f}")
    cols[1].metric("Perte finale", f"{last.get('val_loss', last['loss']):.4f}")
    cols[2].metric("Durée (s)", f"{result['seconds']:.1f}")
    if result.get("samples"):
        st.subheader("Sample" if result["model"] != "word2vec" else "Voisins")
        for sample in result["samples"]:
            st.code(sample, language=None)
