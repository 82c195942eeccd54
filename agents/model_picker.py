"""Choosing the tutor's model: check the choice, probe what it can do, save it (the page and the CLI call these).

A server model is checked against the server's list (a model that has disappeared is refused with a French
message), then probed once for tool calling; the result is saved with the choice in ``$QT_HOME/quant-tutor.toml``
and the settings cache is cleared, so the next answer uses the new model without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agents.errors import LLMError
from agents.servers import list_models, probe_tool_calling
from knowledge.config import Settings, get_settings
from knowledge.model_choice import ModelChoice, env_overrides, load_choice, save_choice


@dataclass
class ModelStatus:
    """What the page and ``quant-tutor models`` show about the model in use."""

    label: str
    backend: str
    tool_calling: bool
    env_vars: list[str]  # QT_LLM_* variables that fix the model (they win over the saved choice)
    saved: ModelChoice | None
    problem: str | None  # why the saved choice cannot be used (then the embedded model answers)


def status(settings: Settings | None = None) -> ModelStatus:
    from agents.llm import supports_tool_calling

    settings = settings or get_settings()
    saved, problem = load_choice(settings.home)
    match settings.llm_backend:
        case "openai":
            label = f"{settings.llm_model} ({settings.llm_base_url})"
        case "gguf" | "transformers":
            label = f"{settings.llm_backend} : {Path(str(settings.llm_model_path)).name}"
        case _:
            label = ModelChoice().label
    return ModelStatus(label, settings.llm_backend, supports_tool_calling(settings), env_overrides(), saved, problem)


def choose_embedded(home: Path) -> ModelChoice:
    return _save(home, ModelChoice())


def choose_server_model(home: Path, base_url: str, model: str, *, server: str | None = None,
                        api_key: str | None = None, probe_timeout_s: float = 30.0) -> ModelChoice:
    """Check ``model`` is served at ``base_url``, probe tool calling once, save the choice.

    Raises
    ------
    LLMError
        When the server does not answer as an OpenAI API or no longer serves ``model`` (French message).
    """
    models = list_models(base_url, api_key=api_key, connect_s=2.0, read_s=5.0)
    if models is None:
        raise LLMError(f"Le serveur {base_url} ne répond pas comme une API OpenAI (/v1/models) : démarre-le, ou "
                       "choisis un autre modèle. Le modèle précédent reste en place.")
    if model not in models:
        listed = ", ".join(models[:8]) or "aucun"
        raise LLMError(f"Le modèle « {model} » n'est plus servi par {base_url} (modèles : {listed}). "
                       "Relance la recherche et choisis-en un autre.")
    tools = probe_tool_calling(base_url, model, api_key=api_key, timeout_s=probe_timeout_s)
    return _save(home, ModelChoice(backend="openai", base_url=base_url, model=model, server=server,
                                   tool_calling=tools))


def choose_gguf(home: Path, path: str | Path) -> ModelChoice:
    """Choose a GGUF file on disk (checked to exist and to end in ``.gguf``)."""
    p = Path(str(path).strip()).expanduser()
    if p.suffix.lower() != ".gguf" or not p.is_file():
        raise LLMError(f"« {path} » n'est pas un fichier .gguf existant : donne le chemin complet d'un modèle GGUF.")
    return _save(home, ModelChoice(backend="gguf", model_path=str(p.resolve()), tool_calling=False))


def _save(home: Path, choice: ModelChoice) -> ModelChoice:
    save_choice(home, choice)
    get_settings.cache_clear()  # the next get_settings() reads the new choice: no restart needed
    return choice
