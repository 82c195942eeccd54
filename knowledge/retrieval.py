"""Hybrid retrieval: BM25 and dense vectors, fused by reciprocal rank (RRF).

.. math:: \\mathrm{RRF}(d) = \\sum_{r \\in \\{\\mathrm{bm25}, \\mathrm{dense}\\}} \\frac{1}{k + \\mathrm{rank}_r(d)}

with :math:`k = 60` (Cormack et al., 2009), scaled by :func:`section_prior` (objectives, exercises and lists of
mistakes rank after explanations).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from knowledge.config import Settings, get_settings
from knowledge.embeddings import get_embedder
from knowledge.errors import QueryError
from knowledge.store import get_collection
from knowledge.textio import fold

log = logging.getLogger(__name__)
RRF_K = 60
Mode = Literal["hybrid", "dense", "bm25"]
# Lesson sections that summarise or test rather than explain: they match many queries (they name every
# concept of the chapter) but make poor context, so their fused score is scaled down.
SIDE_SECTIONS = ("objectifs", "exercice", "erreurs fréquentes", "résultat attendu", "todo liste")
SIDE_PRIOR = 0.8


def section_prior(heading: str) -> float:
    """Multiplier of a passage's fused score by the kind of its section (1.0, or SIDE_PRIOR)."""
    last = heading.rsplit(" > ", 1)[-1].strip().lower()
    return SIDE_PRIOR if last.startswith(SIDE_SECTIONS) else 1.0

_STOP = set(
    """a au aux avec ce ces c cela dans de des du elle en est et eux il je la le les leur lui ma mais me meme mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre
    vous y d l j m n s t quoi quel quelle quels quelles comment pourquoi est-ce etre avoir fait faire peut
    the of and or to in is are was be an as at by for from how what which why with it its this that do does can
    explain explique expliquer moi dis donne estce questce cest""".split()
)


@dataclass
class Passage:
    """A retrieved chunk with where it comes from."""

    id: str
    text: str
    source: str
    heading: str
    phase: str | None
    chapter: str | None
    score: float
    title: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def tokenize(text: str) -> list[str]:
    """Lower-case, accent-folded word tokens without stop words, with a light plural strip.

    A hyphenated compound also yields its joined form ("self-attention" -> self, attention, selfattention),
    so a rare compound outweighs its common parts.
    """
    folded = fold(text)
    out = []
    for group in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", folded):
        parts = group.split("-")
        words = parts + (["".join(parts)] if len(parts) > 1 else [])
        for w in words:
            if w in _STOP or (len(w) == 1 and not w.isdigit()):
                continue
            if len(w) > 4 and w.endswith("s"):
                w = w[:-1]
            out.append(w)
    return out


class _BM25Index:
    def __init__(self, ids: list[str], docs: list[str], metas: list[dict[str, Any]]) -> None:
        import bm25s

        self.ids, self.docs, self.metas = ids, docs, metas
        self._retriever = bm25s.BM25()
        corpus = [
            tokenize(f"{m.get('title', '')} {m.get('heading', '')} {d}") or ["_"]
            for d, m in zip(docs, metas, strict=True)
        ]
        self._retriever.index(corpus, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        toks = tokenize(query)
        if not toks:
            return np.zeros(len(self.ids))
        return np.asarray(self._retriever.get_scores(toks), dtype=float)


_INDEX_CACHE: dict[str, tuple[str, _BM25Index]] = {}


def _bm25_index(col: Any) -> _BM25Index | None:
    ids = col.get(include=[])["ids"]
    if not ids:
        return None
    key = f"{id(col._client) if hasattr(col, '_client') else ''}:{col.name}"
    version = hashlib.sha1("\n".join(sorted(ids)).encode()).hexdigest()
    cached = _INDEX_CACHE.get(key)
    if cached and cached[0] == version:
        return cached[1]
    got = col.get(include=["documents", "metadatas"])
    index = _BM25Index(got["ids"], got["documents"] or [], [m or {} for m in got["metadatas"] or []])
    _INDEX_CACHE[key] = (version, index)
    return index


def _where(phase: str | None, chapter: str | None) -> dict[str, Any] | None:
    conds = []
    if phase is not None:
        if str(phase).strip() not in {str(i) for i in range(8)}:
            raise QueryError(f"phase must be 0 to 7, got {phase!r}")
        conds.append({"phase": str(phase).strip()})
    if chapter is not None:
        text = str(chapter).strip()
        if not text.isdigit() or not 0 <= int(text) <= 44:
            raise QueryError(f"chapter must be 00 to 44, got {chapter!r}")
        conds.append({"chapter": f"{int(text):02d}"})
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}


def _passage(cid: str, doc: str, meta: dict[str, Any], score: float) -> Passage:
    return Passage(
        id=cid,
        text=doc,
        source=str(meta.get("source", "")),
        heading=str(meta.get("heading", "")),
        phase=meta.get("phase"),
        chapter=meta.get("chapter"),
        score=round(float(score), 6),
        title=str(meta.get("title", "")),
    )


def search(
    query: str,
    k: int = 5,
    *,
    settings: Settings | None = None,
    phase: str | None = None,
    chapter: str | None = None,
    mode: Mode = "hybrid",
) -> list[Passage]:
    """Return the ``k`` best passages for ``query``, optionally filtered by phase and chapter."""
    settings = settings or get_settings()
    query = (query or "").strip()
    if not query or k <= 0:
        return []
    embedder = get_embedder(settings)
    col = get_collection(settings, embedder)
    where = _where(phase, chapter)
    count = col.count()
    if count == 0:
        return []
    pool = min(count, max(8 * k, 40))
    ranked: list[list[str]] = []
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    dense_scores: dict[str, float] = {}
    if mode in ("hybrid", "dense"):
        res = col.query(query_embeddings=embedder.embed([query]), n_results=pool, where=where,
                        include=["documents", "metadatas", "distances"])
        ids = res["ids"][0]
        for cid, doc, meta, dist in zip(ids, res["documents"][0], res["metadatas"][0], res["distances"][0],
                                              strict=True):
            found[cid] = (doc, meta or {})
            dense_scores[cid] = 1.0 - float(dist)
        ranked.append(ids)
    bm25_scores: dict[str, float] = {}
    if mode in ("hybrid", "bm25"):
        index = _bm25_index(col)
        if index is not None:
            scores = index.scores(query)
            mask = np.array([_matches(m, where) for m in index.metas], dtype=bool)
            scores = np.where(mask, scores, -np.inf)
            order = [i for i in np.argsort(-scores, kind="stable")[:pool] if scores[i] > 0]
            ranked.append([index.ids[i] for i in order])
            for i in order:
                found.setdefault(index.ids[i], (index.docs[i], index.metas[i]))
                bm25_scores[index.ids[i]] = float(scores[i])
    if mode == "dense":
        fused = dense_scores
    elif mode == "bm25":
        fused = bm25_scores
    else:
        fused = {}
        for ids in ranked:
            for rank, cid in enumerate(ids, start=1):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank)
        fused = {cid: score * section_prior(str(found[cid][1].get("heading", ""))) for cid, score in fused.items()}
    best = sorted(fused, key=lambda c: (-fused[c], c))[:k]
    return [_passage(c, *found[c], fused[c]) for c in best]


def relevant_passages(query: str, passages: list[Passage]) -> list[Passage]:
    """The passages that share at least one content word (stop words removed, accents folded) with ``query``.

    A ranked search always returns its ``k`` best passages, even for a question the course does not treat;
    this is the filter that lets a page say "nothing relevant was found".
    """
    words = set(tokenize(query))
    return [p for p in passages if words & set(tokenize(f"{p.heading} {p.title} {p.text}"))]


def _matches(meta: dict[str, Any], where: dict[str, Any] | None) -> bool:
    if where is None:
        return True
    conds = where.get("$and", [where])
    return all(str(meta.get(key)) == str(value) for cond in conds for key, value in cond.items())
