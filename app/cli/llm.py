"""The ``models`` group: the tutor's language model.

``quant-tutor models`` shows the model in use and the local servers found on loopback with their models;
``quant-tutor models use embedded | --url URL --model NAME | --gguf PATH`` checks, probes and saves a choice.
"""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import emit_json, fail, user_errors

app = typer.Typer(help="The tutor's language model: local servers found, the model in use, choose one.",
                  invoke_without_command=True, no_args_is_help=False)


@app.callback()
def show(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show the model in use and the local model servers (127.0.0.1 only; nothing is sent but GET requests)."""
    if ctx.invoked_subcommand is not None:
        return
    from agents.model_picker import status
    from agents.servers import detect

    now = status()
    servers = detect()
    if as_json:
        emit_json({"model": now.label, "backend": now.backend, "tool_calling": now.tool_calling,
                   "env_overrides": now.env_vars, "saved_choice_problem": now.problem,
                   "servers": [s.to_dict() for s in servers]})
        return
    typer.echo(f"Modèle en cours : {now.label} (appel d'outils : {'activé' if now.tool_calling else 'désactivé'})")
    if now.env_vars:
        typer.echo(f"Les variables {', '.join(now.env_vars)} fixent le modèle : elles priment sur le choix enregistré.")
    if now.problem:
        typer.echo(now.problem)
    if not servers:
        typer.echo("Aucun serveur de modèles local trouvé (ports 11434, 1234, 8080, 8000).")
    for server in servers:
        served = server.problem or ", ".join(server.models) or "aucun modèle"
        typer.echo(f"- {server.name} {server.base_url} : {served}")


@app.command("use")
def use(
    target: Annotated[str | None, typer.Argument(help="`embedded` for the built-in model.")] = None,
    url: Annotated[str | None, typer.Option(help="Base URL of an OpenAI-compatible server, e.g. "
                                                 "http://127.0.0.1:11434/v1.")] = None,
    model: Annotated[str | None, typer.Option(help="Model name on that server.")] = None,
    gguf: Annotated[str | None, typer.Option(help="Path of a .gguf file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Choose the model (saved in $QT_HOME/quant-tutor.toml); a server model is probed once for tool calling."""
    from agents.model_picker import choose_embedded, choose_gguf, choose_server_model
    from knowledge.config import get_settings

    home = get_settings().home
    with user_errors():
        if gguf:
            chosen = choose_gguf(home, gguf)
        elif url or model:
            if not (url and model):
                fail("a server model needs both --url and --model (see `quant-tutor models` for what is served)")
            chosen = choose_server_model(home, url, model)
        elif target == "embedded":
            chosen = choose_embedded(home)
        else:
            fail("choose `embedded`, --url URL --model NAME, or --gguf PATH")
    if as_json:
        emit_json(chosen.model_dump())
    else:
        tools = "activé" if chosen.tool_calling else "désactivé"
        typer.echo(f"Modèle choisi : {chosen.label} (appel d'outils : {tools})")
