"""Core CLI commands: config, ingest, search, ask, app."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the core commands to the main Typer app."""
