"""A minimal LangChain chat model over a local transformers model (directory or GGUF file), streaming."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict

_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


class TransformersChat(BaseChatModel):
    """Chat with a local Hugging Face causal LM through its chat template (no hub access)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    model: Any
    tokenizer: Any
    temperature: float = 0.2
    max_new_tokens: int = 256

    @classmethod
    def from_path(cls, path: Path, *, temperature: float, max_new_tokens: int) -> TransformersChat:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        kwargs: dict[str, Any] = {"local_files_only": True}
        if path.is_file() and path.suffix == ".gguf":
            kwargs["gguf_file"] = path.name
            path = path.parent
        tokenizer = AutoTokenizer.from_pretrained(str(path), **kwargs)
        model = AutoModelForCausalLM.from_pretrained(str(path), **kwargs)
        return cls(model=model, tokenizer=tokenizer, temperature=temperature, max_new_tokens=max_new_tokens)

    @property
    def _llm_type(self) -> str:
        return "transformers-local"

    def _inputs(self, messages: list[BaseMessage]) -> Any:
        chat = [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]
        return self.tokenizer.apply_chat_template(chat, add_generation_prompt=True, return_tensors="pt",
                                                  return_dict=True)

    def _gen_kwargs(self) -> dict[str, Any]:
        sample = self.temperature > 0
        kw: dict[str, Any] = {"max_new_tokens": self.max_new_tokens, "do_sample": sample}
        if sample:
            kw["temperature"] = self.temperature
        return kw

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        from transformers import TextIteratorStreamer

        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        inputs = self._inputs(messages)
        thread = threading.Thread(target=self.model.generate, kwargs={**inputs, **self._gen_kwargs(),
                                                                      "streamer": streamer})
        thread.start()
        for text in streamer:
            if text:
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
        thread.join()

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(c.text for c in self._stream(messages, stop, run_manager))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])
