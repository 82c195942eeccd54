"""knowledge: course documents in ChromaDB, hybrid retrieval, the roadmap, the learner's progress and plans.

Public API (imported lazily so that ``import knowledge`` stays cheap)::

    knowledge.ingest(paths=None) -> IngestReport
    knowledge.search(query, k=5, phase=None, chapter=None) -> list[Passage]
    knowledge.plan(settings=None, hours_per_week=..., weeks=None, until=None, focus=None) -> Plan

and in its modules and sub-packages: ``config.Settings`` (the one typed configuration of the product),
``ingest`` / ``retrieval`` (the ingest and query halves), ``roadmap`` (the roadmap format, its progress store
and "what next?"), ``planner`` (study plans and their exports), ``exercise_bank``, ``textio`` (decoding and
the one ``fold()``), ``dates`` (dates the learner writes), ``home`` (a writable ``QT_HOME``), ``errors``.
Imports nothing of ours outside :mod:`knowledge`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["ingest", "plan", "search"]

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
    # lazily expose the planner's entry point (it loads the roadmap and the progress store)
    if name == "plan":
        from knowledge.planner import plan

        return plan
    raise AttributeError(name)
