"""knowledge: course documents in ChromaDB, hybrid retrieval, the roadmap and the learner's progress.

Public API (imported lazily so that ``import knowledge`` stays cheap)::

    knowledge.ingest(paths=None) -> IngestReport
    knowledge.search(query, k=5, phase=None, chapter=None) -> list[Passage]
    knowledge.plan(settings=None, hours_per_week=..., weeks=None, until=None, focus=None) -> Plan

and in their modules: ``roadmap.load_roadmap`` / ``read_roadmap`` / ``export_markdown`` (the roadmap format),
``roadmap_progress.open_progress`` / ``next_steps`` (progress in SQL), ``exercise_bank.list_exercises``,
``config.Settings`` (the one typed configuration of the product).
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
