"""The saved model choice: round trip, other keys kept, environment wins, malformed choice -> embedded default."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from knowledge.config import get_settings
from knowledge.model_choice import ModelChoice, choice_file, env_overrides, load_choice, save_choice


def test_saved_server_choice_switches_settings_without_restart(qt_home: Path) -> None:
    assert get_settings().llm_backend == "embedded"
    choice_file(qt_home).write_text('learner = "alice"\n', encoding="utf-8")
    save_choice(qt_home, ModelChoice(backend="openai", base_url="http://127.0.0.1:11434/v1", model="qwen2.5:7b",
                                     server="Ollama", tool_calling=True))
    data = tomllib.loads(choice_file(qt_home).read_text(encoding="utf-8"))
    assert data["learner"] == "alice" and data["model"]["model"] == "qwen2.5:7b"
    get_settings.cache_clear()  # what the picker does after saving
    s = get_settings()
    assert (s.llm_backend, s.llm_model, s.llm_base_url, s.llm_tool_calling, s.learner) == (
        "openai", "qwen2.5:7b", "http://127.0.0.1:11434/v1", True, "alice")
    assert load_choice(qt_home) == (ModelChoice(backend="openai", base_url="http://127.0.0.1:11434/v1",
                                                model="qwen2.5:7b", server="Ollama", tool_calling=True), None)


def test_environment_variables_win_over_the_saved_choice(qt_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_choice(qt_home, ModelChoice(backend="gguf", model_path="/models/qwen.gguf"))
    monkeypatch.setenv("QT_LLM_BACKEND", "embedded")
    get_settings.cache_clear()
    assert get_settings().llm_backend == "embedded"
    assert env_overrides() == ["QT_LLM_BACKEND"]


@pytest.mark.parametrize("text", [
    '[model]\nbackend = "openai"\n',                      # no base_url / model
    '[model]\nbackend = "quantum"\n',                     # unknown backend
    'model = "not a table"\n',
    '[model\nbackend = "openai"',                         # not TOML at all
])
def test_malformed_choice_gives_a_french_message_and_the_embedded_default(qt_home: Path, text: str) -> None:
    choice_file(qt_home).write_text(text, encoding="utf-8")
    choice, problem = load_choice(qt_home)
    assert choice is None and problem is not None and "le modèle intégré répond" in problem
    get_settings.cache_clear()
    assert get_settings().llm_backend == "embedded"
