"""The Modèle page and `quant-tutor models`: detected servers, the picker, env overrides, bad input; the chat
says which model wrote each answer and keeps answering when the server stops."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

import agents.servers
from app.cli import app as cli
from knowledge.config import get_settings
from knowledge.model_choice import choice_file
from tests.helpers.openai_server import ScriptedOpenAIServer

pytestmark = pytest.mark.integration
PAGES = Path(__file__).resolve().parents[2] / "app" / "app_pages"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedOpenAIServer]:
    """A scripted OpenAI server that the loopback scan sees (in place of the usual ports)."""
    with ScriptedOpenAIServer() as srv:
        monkeypatch.setattr(agents.servers, "KNOWN_PORTS", {srv.port: "llama.cpp"})
        st.cache_resource.clear()  # a fresh scan
        yield srv
    st.cache_resource.clear()


def _page() -> AppTest:
    return AppTest.from_file(str(PAGES / "model.py"), default_timeout=60).run()


def test_page_lists_the_server_model_and_the_picker_switches_to_it(server: ScriptedOpenAIServer) -> None:
    at = _page()
    assert not at.exception
    option = f"scripted — llama.cpp ({server.base_url})"
    assert option in at.radio[0].options and at.radio[0].value.startswith("Modèle intégré")
    at.radio[0].set_value(option).run()
    next(b for b in at.button if b.label == "Utiliser ce modèle").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Modèle choisi : scripted (llama.cpp")
    assert f"**Modèle en cours** : scripted ({server.base_url}) · appel d'outils : désactivé" in [
        m.value for m in at.markdown]
    assert get_settings().llm_model == "scripted"  # saved, no restart
    assert 'model = "scripted"' in choice_file(get_settings().home).read_text(encoding="utf-8")


def test_environment_variables_win_and_the_page_says_so(server: ScriptedOpenAIServer, monkeypatch) -> None:
    monkeypatch.setenv("QT_LLM_BACKEND", "embedded")
    at = _page()
    assert not at.exception and "`QT_LLM_BACKEND`" in at.warning[0].value and "priment" in at.warning[0].value


def test_malformed_saved_choice_and_a_port_that_is_not_an_api(qt_home: Path, monkeypatch) -> None:
    choice_file(qt_home).write_text('[model]\nbackend = "openai"\n', encoding="utf-8")

    class Blog(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>blog</html>")

        def log_message(self, *args: object) -> None:
            pass

    blog = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Blog)
    threading.Thread(target=blog.serve_forever, daemon=True).start()
    monkeypatch.setattr(agents.servers, "KNOWN_PORTS", {blog.server_address[1]: "LM Studio"})
    st.cache_resource.clear()
    try:
        at = _page()
    finally:
        blog.shutdown()
        st.cache_resource.clear()
    assert not at.exception
    assert "est invalide" in at.error[0].value and "le modèle intégré répond" in at.error[0].value
    assert any("ni comme une API OpenAI" in w.value for w in at.warning)
    assert "Modèle intégré" in at.markdown[0].value or any("Modèle intégré" in m.value for m in at.markdown)


def test_chat_names_the_model_and_keeps_answering_when_the_server_stops(
    server: ScriptedOpenAIServer, ingested, monkeypatch
) -> None:
    import agents.explain
    from agents.model_picker import choose_server_model

    monkeypatch.setattr(agents.explain, "match_card", lambda *_: None)  # the passage path: the model writes
    choose_server_model(get_settings().home, server.base_url, "scripted")
    server.say("La VaR au niveau 99 % est la perte qui n'est dépassée qu'avec une probabilité de 1 % [1].")
    at = AppTest.from_file(str(PAGES / "chat.py"), default_timeout=180).run()
    at.chat_input[0].set_value("Qu'est-ce que la VaR ?").run()
    assert not at.exception
    assert f"🤖 Réponse de : openai:scripted@{server.base_url}" in [c.value for c in at.chat_message[1].caption]
    server.__exit__(None, None, None)
    at.chat_input[0].set_value("Qu'est-ce que la rétropropagation ?").run()
    assert not at.exception
    reply = at.chat_message[3]
    assert reply.markdown[0].value.startswith(f"⚠️ Le modèle « scripted » ({server.base_url}) ne répond pas")
    assert "🤖 Réponse de : embedded:SmolLM2-135M (repli)" in [c.value for c in reply.caption]


def test_cli_models_lists_uses_and_refuses(server: ScriptedOpenAIServer) -> None:
    runner = CliRunner()
    shown = runner.invoke(cli, ["models", "--json"])
    assert shown.exit_code == 0 and '"scripted"' in shown.output and server.base_url in shown.output
    used = runner.invoke(cli, ["models", "use", "--url", server.base_url, "--model", "scripted"])
    assert used.exit_code == 0 and "Modèle choisi : scripted" in used.output
    gone = runner.invoke(cli, ["models", "use", "--url", server.base_url, "--model", "qwen-gone"])
    assert gone.exit_code == 2 and "n'est plus servi" in gone.output
    assert runner.invoke(cli, ["models", "use"]).exit_code == 2
    assert runner.invoke(cli, ["models", "use", "embedded"]).exit_code == 0
    assert get_settings().llm_backend == "embedded"
    assert runner.invoke(cli, ["train", "--help"]).exit_code == 0  # the train command is still there
