"""Local model servers: find them on loopback, list their models, check what a model can do.

Only ``127.0.0.1`` is probed, on the usual ports of Ollama (11434), LM Studio (1234), llama.cpp's server and
vLLM (8080, 8000), with short timeouts and all ports at once, so a scan takes well under two seconds even when
a port hangs. Detection only sends ``GET /v1/models`` and ``GET /api/tags``: nothing of the learner's leaves
the app before they choose a model. :func:`probe_tool_calling` (run once, when a server model is chosen) sends
a fixed test request, never the learner's words.
"""

from __future__ import annotations

import json
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

HOST = "127.0.0.1"
#: port -> what usually listens there
KNOWN_PORTS: dict[int, str] = {11434: "Ollama", 1234: "LM Studio", 8080: "llama.cpp", 8000: "vLLM"}
CONNECT_S = 0.3
READ_S = 1.0


@dataclass
class Server:
    """A local server that answered, with the models it serves (``problem`` when it is not a model API)."""

    port: int
    name: str
    base_url: str  # the OpenAI-compatible base URL (…/v1)
    api: Literal["openai", "ollama", "unknown"] = "unknown"
    models: list[str] = field(default_factory=list)
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"port": self.port, "name": self.name, "base_url": self.base_url, "api": self.api,
                "models": self.models, "problem": self.problem}


def _listening(port: int, timeout: float) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def probe(port: int, *, name: str | None = None, connect_s: float = CONNECT_S, read_s: float = READ_S) -> Server | None:
    """The server on ``127.0.0.1:port``, or ``None`` when nothing listens there."""
    name = name or KNOWN_PORTS.get(port, f"port {port}")
    if not _listening(port, connect_s):
        return None
    root = f"http://{HOST}:{port}"
    server = Server(port, name, f"{root}/v1")
    models = list_models(server.base_url, connect_s=connect_s, read_s=read_s)
    if models is not None:
        server.api, server.models = "openai", models
        return server
    tags = _ollama_tags(root, connect_s, read_s)
    if tags is not None:
        server.api, server.models = "ollama", tags
        return server
    server.problem = (f"Le port {port} répond, mais ni comme une API OpenAI (/v1/models) ni comme Ollama "
                      "(/api/tags) : ce n'est pas un serveur de modèles utilisable.")
    return server


def detect(ports: dict[int, str] | None = None, *, connect_s: float = CONNECT_S,
           read_s: float = READ_S) -> list[Server]:
    """Every server found on the loopback ``ports`` (default :data:`KNOWN_PORTS`), probed in parallel."""
    ports = KNOWN_PORTS if ports is None else ports
    if not ports:
        return []
    with ThreadPoolExecutor(max_workers=len(ports)) as pool:
        found = pool.map(lambda item: probe(item[0], name=item[1], connect_s=connect_s, read_s=read_s),
                         ports.items())
        return [s for s in found if s is not None]


def _get_json(url: str, connect_s: float, read_s: float, api_key: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    timeout = httpx.Timeout(read_s, connect=connect_s)
    try:
        resp = httpx.get(url, timeout=timeout, headers=headers)
        if resp.status_code != 200:
            return None
        return resp.json()
    except (httpx.HTTPError, ValueError):
        return None


def list_models(base_url: str, *, api_key: str | None = None, connect_s: float = CONNECT_S,
                read_s: float = READ_S) -> list[str] | None:
    """The model ids of an OpenAI-compatible server (``GET {base_url}/models``), or ``None`` if it is not one."""
    data = _get_json(base_url.rstrip("/") + "/models", connect_s, read_s, api_key)
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        return None
    return [str(m["id"]) for m in data["data"] if isinstance(m, dict) and "id" in m]


def _ollama_tags(root: str, connect_s: float, read_s: float) -> list[str] | None:
    data = _get_json(root + "/api/tags", connect_s, read_s)
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        return None
    return [str(m.get("name") or m.get("model")) for m in data["models"] if isinstance(m, dict)]


PROBE_TOOL = {"type": "function", "function": {
    "name": "add", "description": "Add two integers and return their sum.",
    "parameters": {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                   "required": ["a", "b"]}}}


def probe_tool_calling(base_url: str, model: str, *, api_key: str | None = None, timeout_s: float = 30.0) -> bool:
    """Whether ``model`` returns a well-formed call of a known tool for a fixed request (2 + 3 with ``add``)."""
    body = {"model": model, "temperature": 0, "max_tokens": 64, "tools": [PROBE_TOOL],
            "messages": [{"role": "user", "content": "Use the add tool to compute 2 + 3."}]}
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        resp = httpx.post(base_url.rstrip("/") + "/chat/completions", json=body, headers=headers,
                          timeout=httpx.Timeout(timeout_s, connect=CONNECT_S * 4))
        calls = resp.json()["choices"][0]["message"].get("tool_calls") or []
        call = calls[0]["function"]
        args = json.loads(call["arguments"]) if isinstance(call["arguments"], str) else call["arguments"]
        return bool(call["name"] == "add" and int(args["a"]) + int(args["b"]) == 5)
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return False
