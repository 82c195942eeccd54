"""Detection of local model servers, their model lists, the tool-calling probe and the picker, over real HTTP."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agents.errors import LLMError
from agents.model_picker import choose_embedded, choose_gguf, choose_server_model, status
from agents.servers import detect, list_models, probe, probe_tool_calling
from knowledge.config import get_settings
from tests.helpers.openai_server import ScriptedOpenAIServer

pytestmark = pytest.mark.integration


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str]] = {}

    def do_GET(self) -> None:  # noqa: N802  (http.server's name)
        code, body = self.routes.get(self.path, (404, "<html>not found</html>"))
        self.send_response(code)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server(request: pytest.FixtureRequest) -> Iterator[int]:
    handler = type("H", (_Handler,), {"routes": request.param})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield int(srv.server_address[1])
    srv.shutdown()


def test_detection_finds_an_openai_server_and_lists_its_models() -> None:
    with ScriptedOpenAIServer() as srv:
        found = detect({srv.port: "llama.cpp"})
    assert [(s.name, s.api, s.models, s.base_url) for s in found] == [("llama.cpp", "openai", ["scripted"],
                                                                      srv.base_url)]
    assert srv.requests == []  # detection sends nothing to the chat endpoint


@pytest.mark.parametrize("http_server", [{"/api/tags": (200, json.dumps({"models": [{"name": "qwen2.5:7b"}]}))}],
                         indirect=True)
def test_ollama_tags_are_listed(http_server: int) -> None:
    server = probe(http_server, name="Ollama")
    assert server is not None and (server.api, server.models) == ("ollama", ["qwen2.5:7b"])


@pytest.mark.parametrize("http_server", [{"/": (200, "<html>mon blog</html>"),
                                          "/v1/models": (200, "<html>pas du JSON</html>")}], indirect=True)
def test_a_port_that_is_not_a_model_api_is_named_not_used(http_server: int) -> None:
    server = probe(http_server)
    assert server is not None and server.problem is not None and "ni comme une API OpenAI" in server.problem
    assert list_models(f"http://127.0.0.1:{http_server}/v1") is None


def test_a_hanging_port_and_a_closed_port_do_not_block_detection() -> None:
    with socket.socket() as hang, socket.socket() as closed:
        hang.bind(("127.0.0.1", 0))
        hang.listen(8)  # accepts, never answers
        closed.bind(("127.0.0.1", 0))  # bound, not listening: connection refused
        start = time.perf_counter()
        found = detect({hang.getsockname()[1]: "hang", closed.getsockname()[1]: "closed"}, read_s=0.5)
    assert time.perf_counter() - start < 3
    assert [s.name for s in found] == ["hang"] and found[0].problem


def test_tool_calling_probe_reads_a_well_formed_call() -> None:
    with ScriptedOpenAIServer() as srv:
        srv.call("add", {"a": 2, "b": 3}).say("2 + 3 = 5").call("add", {"a": "deux"})
        assert probe_tool_calling(srv.base_url, "scripted") is True
        assert probe_tool_calling(srv.base_url, "scripted") is False   # plain text: no tool calling
        assert probe_tool_calling(srv.base_url, "scripted") is False   # malformed arguments
    assert srv.requests[0]["tools"][0]["function"]["name"] == "add"


def test_picker_saves_a_server_model_and_refuses_one_that_disappeared(qt_home: Path) -> None:
    with ScriptedOpenAIServer() as srv:
        srv.call("add", {"a": 2, "b": 3})
        chosen = choose_server_model(qt_home, srv.base_url, "scripted", server="llama.cpp")
        assert chosen.tool_calling is True
        now = status()
        assert (now.backend, now.tool_calling, now.label) == ("openai", True, f"scripted ({srv.base_url})")
        with pytest.raises(LLMError, match="n'est plus servi"):
            choose_server_model(qt_home, srv.base_url, "qwen-gone")
    with pytest.raises(LLMError, match="ne répond pas comme une API OpenAI"):
        choose_server_model(qt_home, srv.base_url, "scripted")
    assert get_settings().llm_model == "scripted"  # a refused choice keeps the previous one


def test_picker_gguf_and_embedded(qt_home: Path, tmp_path: Path) -> None:
    with pytest.raises(LLMError, match="fichier .gguf"):
        choose_gguf(qt_home, tmp_path / "absent.gguf")
    model = tmp_path / "qwen.gguf"
    model.write_bytes(b"GGUF")
    choose_gguf(qt_home, model)
    assert get_settings().llm_model_path == model.resolve()
    choose_embedded(qt_home)
    assert get_settings().llm_backend == "embedded"
