"""The `openai` backend over real HTTP: a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from agents.answer import ask
from agents.llm import check_backend, get_chat_model
from agents.tools import TOOL_NAMES, Toolbox
from agents.tutor import build_tutor
from knowledge.config import Settings, get_settings
from tests.helpers.openai_server import ScriptedOpenAIServer

pytestmark = pytest.mark.integration


@pytest.fixture
def server() -> Iterator[ScriptedOpenAIServer]:
    with ScriptedOpenAIServer() as srv:
        yield srv


def _settings(server: ScriptedOpenAIServer) -> Settings:
    return Settings(home=get_settings().home, llm_backend="openai", llm_base_url=server.base_url,
                    llm_model="qwen2.5-7b-instruct")


def test_check_backend_and_streaming(server: ScriptedOpenAIServer) -> None:
    settings = _settings(server)
    check_backend(settings)
    server.say("Bonjour depuis le serveur")
    tokens = [c.content for c in get_chat_model(settings).stream([("user", "Salut")])]
    assert "".join(tokens).strip() == "Bonjour depuis le serveur"
    assert server.requests[0]["model"] == "qwen2.5-7b-instruct" and server.requests[0]["stream"] is True


def test_capable_model_answers_in_french_with_citations(server: ScriptedOpenAIServer, ingested) -> None:
    server.say("La VaR au niveau 99 % est la perte qui n'est dépassée qu'avec une probabilité de 1 % [1].")
    answer = ask("Qu'est-ce que la VaR ?", settings=_settings(server), chapter="37")  # a chapter: no card
    assert answer.mode == "generated" and answer.citations[0].chapter == "37"
    assert "[1] Finance quantitative" in server.requests[0]["messages"][1]["content"]


def test_capable_model_builds_on_the_card_over_http(server: ScriptedOpenAIServer, ingested) -> None:
    server.say("Si les composantes de q et k sont indépendantes, de moyenne 0 et de variance 1, chaque terme a "
               "une variance 1, donc la variance du produit scalaire vaut d_k. En divisant par la racine de d_k, on "
               "obtient des scores de variance 1 : le softmax reste dans sa zone sensible et l'entraînement est "
               "stable [1].")
    answer = ask("pk on divise par racine de d_k dans l'attention ?", settings=_settings(server))
    assert answer.mode == "generated" and answer.memo["card"] == "27-why-sqrt-dk"
    system, user = (m["content"] for m in server.requests[0]["messages"][:2])
    assert "fiche d'explication" in system and "[1] Chapitre 27" in user
    assert answer.citations[0].chapter == "27"


def test_tool_calling_agent_over_http(server: ScriptedOpenAIServer, ingested) -> None:
    settings = _settings(server)
    var = Toolbox(settings).value_at_risk("SPY", 0.99, "garch")["var_pct"]
    server.call("value_at_risk", {"ticker": "SPY", "level": 0.99, "method": "garch"})
    server.say(f"La VaR GARCH à 99 % du S&P 500 vaut {var:.2f} % de la position.")
    answer = build_tutor(settings).ask("Quelle est la VaR à 99 % du S&P 500 avec un GARCH ?")
    assert answer.mode == "agent" and not answer.flags
    call = answer.tool_calls[0]
    assert (call.name, call.args["method"], call.result["var_pct"]) == ("value_at_risk", "garch", var)
    sent = {t["function"]["name"] for t in server.requests[0]["tools"]}
    assert sent == set(TOOL_NAMES)
    assert server.requests[1]["messages"][-1]["role"] == "tool"


def test_server_going_away_falls_back_with_a_french_notice(server: ScriptedOpenAIServer, ingested) -> None:
    settings = _settings(server)
    server.__exit__(None, None, None)
    answer = ask("Qu'est-ce que la VaR ?", settings=settings, chapter="37")  # a chapter: the model would write
    assert answer.answer.startswith("⚠️ Le modèle « qwen2.5-7b-instruct » (" + server.base_url + ") ne répond pas")
    assert "fallback:model-unreachable" in answer.flags and answer.citations
    assert answer.backend == "embedded:SmolLM2-135M (repli)"


def test_hanging_server_times_out_at_the_first_token_setting(ingested) -> None:
    with socket.socket() as hang:  # accepts connections, never answers
        hang.bind(("127.0.0.1", 0))
        hang.listen(8)
        settings = Settings(home=get_settings().home, llm_backend="openai", llm_model="m", llm_first_token_s=1.0,
                            llm_base_url=f"http://127.0.0.1:{hang.getsockname()[1]}/v1")
        start = time.perf_counter()
        answer = ask("Qu'est-ce que la VaR ?", settings=settings, chapter="37")
    assert time.perf_counter() - start < 10
    assert "ne répond pas" in answer.answer and "fallback:model-unreachable" in answer.flags


def test_tool_calling_tutor_keeps_answering_when_the_server_stops(server: ScriptedOpenAIServer, ingested) -> None:
    settings = _settings(server)
    tutor = build_tutor(settings)
    server.say("Bonjour, je suis prêt.")
    assert tutor.ask("Salut, tu es là ?").mode == "agent"
    server.__exit__(None, None, None)
    answer = tutor.ask("Qu'est-ce que la VaR ?")
    assert answer.answer.startswith("⚠️ Le modèle « qwen2.5-7b-instruct »") and server.base_url in answer.answer
    assert answer.mode != "agent" and answer.backend.endswith("(repli)")
