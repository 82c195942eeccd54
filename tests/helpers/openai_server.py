"""A scripted OpenAI-compatible chat server on 127.0.0.1 (starlette + uvicorn), for the `openai` backend tests.

It speaks the real wire format (``/v1/models``, ``/v1/chat/completions`` with and without SSE streaming, tool
calls), replies with queued messages and records every request body.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


class ScriptedOpenAIServer:
    def __init__(self) -> None:
        self.replies: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        app = Starlette(routes=[
            Route("/v1/models", self._models, methods=["GET"]),
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
        ])
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> ScriptedOpenAIServer:
        self._thread.start()
        for _ in range(100):
            if self._server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("scripted server did not start")

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def say(self, text: str) -> ScriptedOpenAIServer:
        self.replies.append({"content": text})
        return self

    def call(self, name: str, args: dict[str, Any]) -> ScriptedOpenAIServer:
        n = len(self.replies)
        self.replies.append({"tool_calls": [{"id": f"call_{n}", "type": "function",
                                             "function": {"name": name, "arguments": json.dumps(args)}}]})
        return self

    async def _models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "scripted", "object": "model", "owned_by": "test"}]})

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        reply = self.replies.pop(0) if self.replies else {"content": "(no reply queued)"}
        finish = "tool_calls" if "tool_calls" in reply else "stop"
        base = {"id": "chatcmpl-1", "created": int(time.time()), "model": body.get("model", "scripted")}
        if not body.get("stream"):
            message = {"role": "assistant", "content": reply.get("content"), **({"tool_calls": reply["tool_calls"]}
                                                                               if "tool_calls" in reply else {})}
            return JSONResponse({**base, "object": "chat.completion", "choices": [
                {"index": 0, "message": message, "finish_reason": finish}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

        async def events() -> AsyncIterator[str]:
            def chunk(delta: dict[str, Any], reason: str | None = None) -> str:
                data = {**base, "object": "chat.completion.chunk",
                        "choices": [{"index": 0, "delta": delta, "finish_reason": reason}]}
                return f"data: {json.dumps(data)}\n\n"

            yield chunk({"role": "assistant", "content": ""})
            if "tool_calls" in reply:
                yield chunk({"tool_calls": [{"index": i, **tc} for i, tc in enumerate(reply["tool_calls"])]})
            else:
                for word in str(reply["content"]).split(" "):
                    yield chunk({"content": word + " "})
            yield chunk({}, finish)
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")
