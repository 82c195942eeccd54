"""CLI commands for finance (registered by app/cli.py)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main Typer app."""
