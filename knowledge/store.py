"""The Chroma vector store: a local PersistentClient under QT_HOME, or a team's server via QT_CHROMA_URL."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from knowledge.config import Settings
from knowledge.embeddings import ChromaEmbeddingFunction, Embedder, get_embedder
from knowledge.errors import ConfigError, StoreError
from knowledge.home import unwritable

log = logging.getLogger(__name__)


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


@lru_cache(maxsize=8)
def _client(location: str) -> Any:
    import chromadb

    if location.startswith(("http://", "https://")):
        url = urlparse(location)
        if not url.hostname:
            raise ConfigError(f"QT_CHROMA_URL={location!r} has no host; use http://host:port")
        port = url.port or (443 if url.scheme == "https" else 8000)
        try:
            client = chromadb.HttpClient(
                host=url.hostname, port=port, ssl=url.scheme == "https", settings=_chroma_settings()
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises several unrelated types for a dead server
            raise StoreError(
                f"Cannot reach the Chroma server at {location} ({exc.__class__.__name__}); start it with "
                f"`chroma run --host {url.hostname} --port {port}` or unset QT_CHROMA_URL to use the local store"
            ) from exc
        return client
    try:
        return chromadb.PersistentClient(path=location, settings=_chroma_settings())
    except Exception as exc:
        raise StoreError(
            f"Cannot open the Chroma store in {location} ({exc}); check QT_HOME points to a writable folder"
        ) from exc


def get_client(settings: Settings) -> Any:
    """The Chroma client for these settings (cached per location)."""
    if settings.chroma_url:
        return _client(settings.chroma_url)
    try:
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return _client(str(settings.chroma_dir))
    except (OSError, StoreError) as exc:  # a read-only QT_HOME is said as such, with the fix
        if (problem := unwritable(settings.chroma_dir, settings.home)) is not None:
            raise problem from exc
        raise


def collection_name(settings: Settings, embedder: Embedder) -> str:
    """One collection per embedder, so switching QT_EMBEDDER never mixes vector spaces."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in embedder.name)
    return f"{settings.collection}-{safe}"[:60]


def get_collection(settings: Settings, embedder: Embedder | None = None) -> Any:
    """Get or create the course collection, always with our embedding function."""
    embedder = embedder or get_embedder(settings)
    client = get_client(settings)
    return client.get_or_create_collection(
        name=collection_name(settings, embedder),
        embedding_function=ChromaEmbeddingFunction(embedder),
        metadata={"hnsw:space": "cosine"},
    )
