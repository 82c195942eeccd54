"""Models command: ``quant-tutor train MODEL`` trains a from-scratch model and prints its history."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from app.cli.common import emit_json, fail, user_errors

COURSE_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "course"

app = typer.Typer()


def _print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    history = result["history"]
    columns = [k for k in ("epoch", "loss", "val_loss", "accuracy") if any(k in r for r in history)]
    table = Table(title=f"{result['model']} on {result['dataset']}: {result.get('description', '')}")
    for col in columns:
        table.add_column("step" if col == "epoch" and result["dataset"] == "course" else col, justify="right")
    for record in history:
        table.add_row(
            *(
                f"{record[c]:.4f}" if isinstance(record.get(c), float) else str(record.get(c, ""))
                for c in columns
            )
        )
    console = Console()
    console.print(table)
    for key in ("test_accuracy", "test_r2", "test_loss", "unigram_entropy"):
        if key in result:
            console.print(f"{key}: {result[key]:.4f}")
    for sample in result.get("samples", []):
        console.print(f"[bold]sample:[/bold] {sample}", markup=True, highlight=False)
    console.print(f"{result['seconds']:.1f} s")


@app.command("train")
def train_cmd(
    model: Annotated[
        str, typer.Argument(help="Model name, e.g. logistic, mlp, cnn, lstm, gpt, word2vec.")
    ],
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", help="iris, digits, course or reverse (default: the model's first dataset)."),
    ] = None,
    epochs: Annotated[
        int | None, typer.Option("--epochs", min=1, help="Epochs (50-step rounds for language models).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the history as JSON.")] = False,
) -> None:
    """Train a from-scratch model on a small dataset and print its history."""
    from models import demos

    if model not in demos.DEMOS:
        fail(f"unknown model {model!r}; choose one of: {', '.join(demos.DEMOS)}")
    with user_errors():
        result = demos.demo(
            model, dataset or demos.DEMOS[model][0][0], epochs, seed=seed, course_dir=COURSE_DIR
        )
    if as_json:
        emit_json(result)
    else:
        _print_table(result)
