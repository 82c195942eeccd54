"""Core commands: ``config``, ``ingest``, ``search``, ``ask`` and ``app`` (serve the Streamlit app)."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from app.cli.common import emit_json, fail, mask_url_password, run_forwarding_signals, settings_or_fail, user_errors

APP_FILE = Path(__file__).resolve().parents[1] / "streamlit_app.py"
STREAMLIT_CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"

app = typer.Typer()


@app.command("config")
def config_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Print the effective settings (environment QT_* and quant-tutor.toml)."""
    s = settings_or_fail()
    data = s.model_dump(mode="json")
    data["llm_api_key"] = "***" if s.llm_api_key not in ("", "not-needed") else s.llm_api_key
    data["db_url"] = s.db_url
    data = {k: mask_url_password(v) if isinstance(v, str) else v for k, v in data.items()}
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        typer.echo(f"{key:20} {value}")


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: the shipped course).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    follow_symlinks: Annotated[bool, typer.Option(
        "--follow-symlinks", help="Also read symbolic links that point outside the ingested folders.")] = False,
) -> None:
    """Index course documents (.md, .txt, .ipynb, .pdf) into the vector store."""
    from knowledge.ingest import ingest

    s = settings_or_fail()
    with user_errors():
        report = ingest(paths or None, s, progress=not as_json, follow_symlinks=follow_symlinks)
    if as_json:
        emit_json(report.to_dict())
        return
    typer.echo(
        f"{report.files} files, {report.chunks} chunks: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.redacted} secrets redacted ({report.seconds:.1f} s)"
    )
    for sk in report.skipped:
        typer.secho(f"  skipped {sk.path}: {sk.reason}", fg=typer.colors.YELLOW)
    if not paths:  # the shipped course: index its explanation cards too, so the first question is instant
        from knowledge.cards.index import load_default_index

        with user_errors():
            cards = load_default_index(s, progress=True)
        typer.echo(f"{len(cards.library)} explanation cards indexed")


@app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="Number of passages.")] = 5,
    phase: Annotated[str | None, typer.Option(help="Only this phase (0-7).")] = None,
    chapter: Annotated[str | None, typer.Option(help="Only this chapter (00-44).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hybrid (BM25 + dense) search of the course."""
    from knowledge.retrieval import search

    s = settings_or_fail()
    with user_errors():
        passages = search(query, k, settings=s, phase=phase, chapter=chapter)
    if as_json:
        keys = ("id", "text", "source", "heading", "phase", "chapter", "score")
        emit_json([{key: p.to_dict()[key] for key in keys} for p in passages])
        return
    if not passages:
        typer.echo("No passage found. Did you run `quant-tutor ingest`?")
    for i, p in enumerate(passages, 1):
        typer.secho(f"[{i}] {p.heading}  ({p.source}, score {p.score:.4f})", bold=True)
        typer.echo(p.text[:400] + ("…" if len(p.text) > 400 else "") + "\n")


@app.command("ask")
def ask_cmd(
    question: Annotated[str, typer.Argument(help="Your question, in French or English.")],
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Attach a Python file (exercise, code).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Ask the tutor: course answers with citations, or tools (backtest, VaR, GARCH, exercises...)."""

    s = settings_or_fail()
    if not question.strip():
        fail("the question is empty; ask something, e.g. quant-tutor ask \"Qu'est-ce que la VaR ?\"")
    code = None
    if file is not None:
        if not file.is_file():
            fail(f"{file} does not exist; give the path of your .py file")
        code = file.read_bytes().decode("utf-8", errors="replace")
    with user_errors():
        if s.llm_backend == "openai" and s.llm_base_url:
            from agents.llm import check_backend

            check_backend(s)  # an unreachable server is reported in seconds, with the setting to fix
        answer = _ask(question, s, code)
    if as_json:
        emit_json(answer.to_dict())
        return
    typer.echo(answer.answer)
    for c in answer.citations:
        typer.secho(f"  [{c.n}] {c.source} — {c.heading}", fg=typer.colors.CYAN)


@app.command("app")
def app_cmd(
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
) -> None:
    """Serve the Streamlit app (headless, usage statistics off)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP_FILE), "--server.headless=true",
           f"--server.port={port}", f"--server.address={host}", "--browser.gatherUsageStats=false",
           *streamlit_flags(STREAMLIT_CONFIG)]
    raise typer.Exit(run_forwarding_signals(cmd, env=env))


def streamlit_flags(config: Path) -> list[str]:
    """The options of the repository's ``.streamlit/config.toml`` as ``--section.key=value`` flags.

    Streamlit reads ``.streamlit/config.toml`` from the current directory only; passing the options as flags
    applies them (``client.toolbarMode = "minimal"``...) wherever ``quant-tutor app`` is started from.
    """
    import tomllib

    if not config.is_file():
        return []
    flags: list[str] = []
    for section, options in tomllib.loads(config.read_text(encoding="utf-8")).items():
        for key, value in options.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags.append(f"--{section}.{key}={text}")
    return flags


def _ask(question: str, settings: Any, code: str | None = None) -> Any:
    from agents.tutor import build_tutor

    return build_tutor(settings).ask(question, code=code)


logging.getLogger("chromadb").setLevel(logging.ERROR)
