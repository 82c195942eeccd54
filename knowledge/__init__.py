"""knowledge: course documents in ChromaDB, hybrid retrieval, the roadmap and the learner's progress.

Public API (imported lazily so that ``import knowledge`` stays cheap)::

    knowledge.ingest(paths=None) -> IngestReport
    knowledge.search(query, k=5, phase=None, chapter=None) -> list[Passage]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from knowledge.ingest import IngestReport
    from knowledge.retrieval import Passage


def ingest(paths: Any = None, **kwargs: Any) -> IngestReport:
    from knowledge.ingest import ingest as _ingest

    return _ingest(paths, **kwargs)


def search(query: str, k: int = 5, **filters: Any) -> list[Passage]:
    from knowledge.retrieval import search as _search

    return _search(query, k, **filters)


def __getattr__(name: str) -> Any:
    # lazily expose the roadmap / planner API written in sibling modules
    if name == "plan":
        from knowledge.planner import plan

        return plan
    raise AttributeError(name)
