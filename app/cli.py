"""The ``quant-tutor`` command line (Typer).

Core commands live here; each area registers its own commands from ``app/cli_*.py``.
"""

from __future__ import annotations

import typer

from app import cli_core, cli_exercises, cli_finance, cli_models, cli_roadmap

app = typer.Typer(
    name="quant-tutor",
    help="Local-first tutor for deep learning, LLMs and quantitative finance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (cli_core, cli_roadmap, cli_models, cli_finance, cli_exercises):
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
