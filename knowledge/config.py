"""The one typed configuration of quant-tutor.

Read from ``QT_*`` environment variables and an optional ``quant-tutor.toml`` (current directory, then
``$QT_HOME``). Every component receives a :class:`Settings` (or the values it needs) from its caller; nothing
reads ``os.environ`` deep inside the code.
"""

from __future__ import annotations

import logging
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

LLMBackend = Literal["embedded", "gguf", "transformers", "openai"]
EmbedderName = Literal["minilm", "use-multilingual", "sentence-transformers"]
SandboxMode = Literal["bwrap", "limits-only"]
UILanguage = Literal["fr", "en"]


def _default_home() -> Path:
    return Path("~/.local/share/quant-tutor").expanduser()


def _toml_files() -> list[Path]:
    files = [Path("quant-tutor.toml")]
    home = os.environ.get("QT_HOME")
    files.append((Path(home).expanduser() if home else _default_home()) / "quant-tutor.toml")
    return [f for f in files if f.is_file() and _readable(f)]


def _readable(path: Path) -> bool:
    """A TOML file that does not parse is skipped (with a warning), never a crash at start-up."""
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        logging.getLogger(__name__).warning("%s is not valid TOML (%s); it is ignored", path, exc)
        return False
    return True


class Settings(BaseSettings):
    """Effective settings. Environment variables are the field names upper-cased with the ``QT_`` prefix."""

    model_config = SettingsConfigDict(env_prefix="QT_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Folder for the Chroma store and all state.")
    chroma_url: str | None = Field(None, description="http://host:port of a shared Chroma server (team mode).")
    collection: str = Field("course", description="Chroma collection name.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL for progress; default sqlite:///$QT_HOME/progress.db."
    )

    llm_backend: LLMBackend = Field("embedded", description="embedded | gguf | transformers | openai.")
    llm_model_path: Path | None = Field(None, description="GGUF file (gguf) or model directory (transformers).")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1.")
    llm_model: str | None = Field(None, description="Model name on the OpenAI-compatible server.")
    llm_api_key: str = Field("not-needed", description="API key for the OpenAI-compatible server.")
    llm_temperature: float = Field(0.2, ge=0.0, le=2.0)
    llm_max_tokens: int = Field(256, ge=16, le=8192)
    llm_context: int = Field(2048, ge=512, le=131072, description="Context window (llama.cpp n_ctx).")
    llm_threads: int | None = Field(None, description="CPU threads for llama.cpp; default: all cores.")
    llm_timeout_s: float = Field(120.0, gt=0, description="Whole-request limit of a server model, in seconds.")
    llm_connect_s: float = Field(2.0, gt=0, le=2.0, description="Connection limit of a server model (at most 2 s).")
    llm_first_token_s: float = Field(
        30.0, gt=0, description="Longest wait for a server model's first token (and between tokens), in seconds."
    )
    llm_tool_calling: bool | None = Field(
        None, description="Force tool-calling mode on/off; default: on for openai, off for embedded."
    )

    embedder: EmbedderName = Field(
        "use-multilingual",
        description="use-multilingual (default: best hybrid hit@5 in French, bench/embedders.py) | minilm | "
        "sentence-transformers.",
    )
    embedder_path: Path | None = Field(None, description="A sentence-transformers model directory.")

    chunk_size: int = Field(1200, ge=200, le=20000, description="Target chunk size in characters.")
    chunk_overlap: int = Field(150, ge=0, le=2000, description="Characters repeated between split chunks.")
    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are skipped at ingest.")
    context_tokens: int = Field(800, ge=100, le=32000, description="Retrieved context budget in the prompt.")

    sandbox_mode: SandboxMode = Field("bwrap", description="bwrap, or limits-only (explicit opt-out).")
    sandbox_memory_mb: int = Field(1024, ge=64)
    sandbox_timeout_s: float = Field(10.0, gt=0)
    sandbox_output_kb: int = Field(64, ge=1)

    desired_retention: float = Field(0.9, ge=0.7, le=0.99, description="FSRS target recall probability of reviews.")
    learner: str = Field("default", description="Learner id for progress and conversation memory.")
    ui_language: UILanguage = Field("fr", description="Language of the app's pages: fr (default) | en.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        for f in _toml_files():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=f))
        return tuple(sources)

    # -- derived paths -------------------------------------------------------------------------------------
    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        hint = "use sqlite:////path/to/progress.db or postgresql+psycopg://user:password@host/db"
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            raise ValueError(f"not a database URL; {hint}") from None
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"the {backend!r} database is not supported; {hint}")
        return value

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'progress.db'}"

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process, with the learner's saved model choice (``[model]`` of
    ``$QT_HOME/quant-tutor.toml``) unless ``QT_LLM_*`` variables fix the model. Saving a new choice calls
    ``get_settings.cache_clear()``, so the next call switches model without a restart."""
    from knowledge.model_choice import choice_updates

    settings = Settings()
    updates = choice_updates(settings.home)
    return settings.model_copy(update=updates) if updates else settings
