"""Shared fixtures: every test runs offline with its own QT_HOME."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def qt_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point QT_HOME (and so every store, database and cache) at a fresh temp dir."""
    from knowledge.config import get_settings

    home = tmp_path_factory.mktemp("qt_home")
    monkeypatch.setenv("QT_HOME", str(home))
    for var in ("QT_CHROMA_URL", "QT_DATABASE_URL", "QT_LLM_BACKEND", "QT_EMBEDDER"):
        monkeypatch.delenv(var, raising=False)
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return SEEDS


COURSE_FIXTURE = {
    "37-finance.md": """---
phase: "7"
chapter: "37"
title: "Finance quantitative"
prerequisites: ["08"]
hours: 30
---
# Chapitre 37 — Finance quantitative

## Value at Risk (VaR)
La Value at Risk (VaR) au niveau 99 % est la perte qui n'est dépassée qu'avec une probabilité de 1 %.
La VaR historique est le quantile empirique des rendements, changé de signe.

## Modèle GARCH(1,1)
Le modèle GARCH(1,1) décrit la variance conditionnelle :
$\\sigma_t^2 = \\omega + \\alpha \\varepsilon_{t-1}^2 + \\beta \\sigma_{t-1}^2$.
La volatilité est persistante quand alpha plus beta est proche de un.
""",
    "19-reseaux.md": """---
phase: "4"
chapter: "19"
title: "Réseaux de neurones"
---
# Chapitre 19 — Réseaux de neurones

## Rétropropagation (backpropagation)
La rétropropagation (backpropagation) applique la règle de la chaîne couche par couche pour calculer le gradient
de la perte par rapport à chaque poids. Backpropagation computes gradients with the chain rule.

```python
import numpy as np
print(np.tanh(0.5))
```
""",
    "27-transformer.md": """---
phase: "5"
chapter: "27"
title: "Transformer"
---
# Chapitre 27 — Transformer

## Self-attention
L'attention calcule softmax(QK^T / sqrt(d_k)) V : chaque position pondère les autres positions.
Multi-head attention runs several attention heads in parallel.
""",
}


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A tiny course of three lessons, as files on disk."""
    d = tmp_path / "course"
    d.mkdir()
    for name, text in COURSE_FIXTURE.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture
def ingested(course_dir: Path) -> Path:
    """The tiny course ingested into this test's QT_HOME with the real embedder and a real Chroma store."""
    from knowledge.ingest import ingest

    ingest([course_dir], progress=False)
    return course_dir


@pytest.fixture
def scripted_llm() -> object:
    from tests.helpers.scripted import ScriptedChatModel

    return ScriptedChatModel()
