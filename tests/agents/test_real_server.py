"""The learner's own model, end to end against a REAL server: llama-cpp-python's OpenAI-compatible server
(``python -m llama_cpp.server``) serving the shipped SmolLM2 GGUF on a free local port, started and stopped here."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from agents.answer import ask
from agents.llm import embedded_model_path, get_chat_model
from agents.model_picker import choose_server_model, status
from agents.servers import detect
from knowledge.config import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]
pytest.importorskip("llama_cpp.server.app", reason="llama-cpp-python[server] is not installed (make install)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(embedded_model_path()), "--model_alias", "smollm2",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "1", "--verbose", "false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
            assert proc.poll() is None, "llama_cpp.server exited at start"
        else:
            pytest.fail("llama_cpp.server did not start in 120 s")
        yield proc, port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_detect_pick_stream_then_survive_the_server_stopping(
    llama_server: tuple[subprocess.Popen[bytes], int], ingested
) -> None:
    proc, port = llama_server
    # detection finds it (GET requests only) and lists the model
    found = detect({port: "llama.cpp"})
    assert [(s.api, s.models) for s in found] == [("openai", ["smollm2"])]
    base_url = found[0].base_url
    # the picker checks, probes tool calling once and saves the choice: the next settings use it
    chosen = choose_server_model(get_settings().home, base_url, "smollm2", server="llama.cpp", probe_timeout_s=120)
    assert isinstance(chosen.tool_calling, bool)
    settings = get_settings()
    assert (settings.llm_backend, settings.llm_model, settings.llm_base_url) == ("openai", "smollm2", base_url)
    assert status().tool_calling is chosen.tool_calling
    # an answer streams through the openai backend, in several chunks
    chunks = [c.content for c in get_chat_model(settings).stream([("user", "Say hello in one short sentence.")])]
    assert len([c for c in chunks if c]) > 1 and "".join(chunks).strip()
    # the tutor answers a concept question with this model, and says which model wrote it
    answer = ask("Qu'est-ce que la VaR ?", settings=settings, chapter="37")
    assert answer.backend == f"openai:smollm2@{base_url}" and answer.citations
    # the server stops mid-conversation: a French notice naming the model and URL, and the tutor still answers
    proc.terminate()
    proc.wait(timeout=30)
    answer = ask("Qu'est-ce que la VaR ?", settings=settings, chapter="37")
    assert answer.answer.startswith(f"⚠️ Le modèle « smollm2 » ({base_url}) ne répond pas")
    assert answer.citations and "fallback:model-unreachable" in answer.flags
