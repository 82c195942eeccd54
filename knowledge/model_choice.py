"""The learner's model choice, saved as the ``[model]`` table of ``$QT_HOME/quant-tutor.toml``.

The choice is applied on top of the file and environment settings by :func:`choice_updates`, unless a ``QT_LLM_*``
environment variable fixes the model (environment variables always win; :func:`env_overrides` says which).
A malformed saved choice is never fatal: :func:`load_choice` returns ``None`` and a French message saying the
fix, and the embedded model answers.
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError, model_validator

log = logging.getLogger(__name__)
CHOICE_FILE = "quant-tutor.toml"
TABLE = "model"
#: the environment variables that, when set, override a saved choice
ENV_VARS = ("QT_LLM_BACKEND", "QT_LLM_BASE_URL", "QT_LLM_MODEL", "QT_LLM_MODEL_PATH", "QT_LLM_TOOL_CALLING")


class ModelChoice(BaseModel):
    """One model: the embedded one, a server's model (``base_url`` + ``model``) or a GGUF file (``model_path``)."""

    backend: Literal["embedded", "openai", "gguf"] = "embedded"
    base_url: str | None = None
    model: str | None = None
    model_path: str | None = None
    tool_calling: bool | None = None
    server: str | None = None  # "Ollama", "LM Studio"... (shown on the page)

    @model_validator(mode="after")
    def _complete(self) -> ModelChoice:
        if self.backend == "openai" and not (self.base_url and self.model):
            raise ValueError("un modèle de serveur a besoin de base_url et de model")
        if self.backend == "gguf" and not self.model_path:
            raise ValueError("un fichier GGUF a besoin de model_path")
        return self

    @property
    def label(self) -> str:
        match self.backend:
            case "openai":
                return f"{self.model} ({self.server or 'serveur'} · {self.base_url})"
            case "gguf":
                return f"GGUF : {Path(str(self.model_path)).name}"
        return "Modèle intégré (SmolLM2-135M)"

    def to_settings(self) -> dict[str, Any]:
        """The ``Settings`` fields this choice sets."""
        return {"llm_backend": self.backend, "llm_base_url": self.base_url, "llm_model": self.model,
                "llm_model_path": Path(self.model_path).expanduser() if self.model_path else None,
                "llm_tool_calling": self.tool_calling}


def choice_file(home: Path) -> Path:
    return home / CHOICE_FILE


def load_choice(home: Path) -> tuple[ModelChoice | None, str | None]:
    """The saved choice (or ``None`` when there is none), and a French message when it cannot be used."""
    path = choice_file(home)
    if not path.is_file():
        return None, None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return None, (f"Le fichier {path} est illisible ({exc}) ; le modèle intégré répond. "
                      "Choisis à nouveau un modèle dans la page Modèle, ou corrige le fichier.")
    raw = data.get(TABLE)
    if raw is None:
        return None, None
    try:
        if not isinstance(raw, dict):
            raise ValueError(f"[{TABLE}] doit être une table")
        return ModelChoice.model_validate(raw), None
    except (ValidationError, ValueError) as exc:
        first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        return None, (f"Le choix de modèle enregistré dans {path} est invalide ({first}) ; le modèle intégré "
                      "répond. Choisis à nouveau un modèle dans la page Modèle (ou `quant-tutor models use`).")


def save_choice(home: Path, choice: ModelChoice) -> Path:
    """Write ``choice`` as the ``[model]`` table, keeping the file's other keys."""
    return _save_key(home, TABLE, choice.model_dump(exclude_none=True))


def save_ui_language(home: Path, language: str) -> Path:
    """Keep the app's language for the next sessions (the top-level ``ui_language`` key, other keys kept)."""
    return _save_key(home, "ui_language", language)


def _save_key(home: Path, key: str, value: Any) -> Path:
    """Set one key (a value or a table) of ``$QT_HOME/quant-tutor.toml``, keeping the others."""
    path = choice_file(home)
    home.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            log.warning("%s was unreadable; rewriting it with %s only", path, key)
    data[key] = value
    path.write_text(dump_toml(data), encoding="utf-8")
    return path


def env_overrides(environ: dict[str, str] | None = None) -> list[str]:
    """The ``QT_LLM_*`` variables set in the environment: they win over the saved choice."""
    env = os.environ if environ is None else environ
    return [v for v in ENV_VARS if env.get(v)]


def choice_updates(home: Path, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """The ``Settings`` fields to change for the saved choice: none when an environment variable fixes the
    model, the embedded model's when the saved choice is malformed (the problem is logged)."""
    if env_overrides(environ):
        return {}
    choice, problem = load_choice(home)
    if problem:
        log.warning(problem)
        return ModelChoice().to_settings()
    return choice.to_settings() if choice is not None else {}


def dump_toml(data: dict[str, Any]) -> str:
    """A minimal TOML writer for scalar keys and one level of tables (all this file holds)."""
    top = [f"{k} = {_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    out = "\n".join(top) + ("\n" if top else "")
    for name, table in data.items():
        if isinstance(table, dict):
            out += f"\n[{name}]\n" + "".join(f"{k} = {_value(v)}\n" for k, v in table.items())
    return out


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    s = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'
