"""Find the card a learner's question asks for: dense and BM25 scores, fused by a calibrated model.

Every card contributes entries: its question phrasings (``q``), its simple answers (``a``) and its section heading
(``h``). Entries live in their own Chroma collection (our embedder, never Chroma's default) and in a BM25
index. For a question, each candidate card gets features (best cosine and BM25 score over its entries, its
gap to the best other card, a fuzzy ratio to its closest phrasing); a logistic regression turns them into the
probability that the card is the right one.

The regression is fitted when the index is built, without any evaluation data: each phrasing in turn is held
out and asked as a question (positives: its card should win), and each card in turn is removed and its
phrasings asked (negatives: nothing should be confident). Its confidence is therefore calibrated on how well
unseen phrasings find their card, and on what a question with no card looks like.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from sklearn.linear_model import LogisticRegression

from knowledge.cards.library import CardLibrary, load_cards
from knowledge.cards.match import CardMatch, combine_parts, question_parts
from knowledge.cards.normalize import Normalizer, terms_of, vocabulary_of, words_of
from knowledge.cards.schema import Card, Lang
from knowledge.config import Settings
from knowledge.embeddings import ChromaEmbeddingFunction, Embedder, get_embedder
from knowledge.store import get_client
from knowledge.textio import fold

log = logging.getLogger(__name__)
INDEX_VERSION = "3"
TOP = 8
CALIBRATION_POSITIVES = 1500  # held-out phrasings asked as questions
CALIBRATION_NEGATIVES = 600  # held-out cards, one phrasing each
FEATURES = ("dense_q", "dense_gap", "dense_a", "bm25_q", "bm25_a", "bm25_raw", "fuzzy", "rank_dense", "rank_bm25",
            "kind_match")
# the kind of question asked, from its wording (first match wins): cards of that kind are likelier answers
_KINDS = (
    ("diff", re.compile(r"difference|\bdiff\b|\bvs\b|versus|compar|distingu|\bou bien\b|rather than|instead of")),
    ("why", re.compile(r"pourquoi|\bpk\b|\bpq\b|\bwhy\b|a quoi (?:ca )?sert|what'?s the point|interet")),
    ("when", re.compile(r"\bquand\b|\bwhen\b|lequel|laquelle|which (?:one|should)|faut-il|should i|dois-je")),
    ("value", re.compile(r"\d+[.,]?\d*\s*%?|veut dire|signifie|\bmeans?\b|interpret")),
    ("how", re.compile(r"\bcomment\b|\bhow\b|etapes|steps")),
    ("what", re.compile(r"qu'?est[- ]ce|c'?est quoi|\bquoi\b|what (?:is|are)|what'?s|defini|define|\bc koi")),
)


def question_kind(text: str) -> str | None:
    """The kind of a learner's question (``what``, ``why``, ``how``, ``diff``, ``when``, ``value``) or None."""
    low = fold(text)
    return next((kind for kind, pattern in _KINDS if pattern.search(low)), None)


@dataclass(frozen=True)
class Entry:
    card: int  # index of the card in the library
    kind: str  # "q" (a question phrasing), "a" (a simple answer) or "h" (the section heading)
    text: str  # normalised text


class CardIndex:
    """Entries' vectors and BM25 index for one card library and one embedder."""

    def __init__(self, library: CardLibrary, embedder: Embedder, entries: list[Entry], vectors: np.ndarray,
                 normalizer: Normalizer, calibration: dict[str, Any] | None = None) -> None:
        import bm25s

        self.library, self.embedder, self.entries, self.vectors = library, embedder, entries, vectors
        self.normalizer = normalizer
        self.entry_card = np.array([e.card for e in entries], dtype=int)
        self.position = {card.id: i for i, card in enumerate(library.cards)}
        self.is_q = np.array([e.kind == "q" for e in entries])
        self.is_answer = np.array([e.kind == "a" for e in entries])
        self.card_kind = [c.kind for c in library.cards]
        self._bm25 = bm25s.BM25()
        self._bm25.index([terms_of(e.text) or ["_"] for e in entries], show_progress=False)
        self._folded = [fold(e.text) for e in entries]
        self._model: LogisticRegression | None = None
        if calibration:
            self._model = _model_from(calibration)

    # -- building -------------------------------------------------------------------------------------------
    @classmethod
    def build(cls, library: CardLibrary, embedder: Embedder, *, progress: bool = False) -> CardIndex:
        from tqdm import tqdm

        normalizer = _normalizer(library)
        entries = _entries(library, normalizer)
        texts = [e.text for e in entries]
        batches = [texts[i:i + 256] for i in range(0, len(texts), 256)]
        parts = [embedder.embed(b) for b in tqdm(batches, desc="Card phrasings", unit="batch", disable=not progress)]
        vectors = np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)
        index = cls(library, embedder, entries, vectors, normalizer)
        index.calibrate(progress=progress)
        return index

    def calibrate(self, *, seed: int = 0, progress: bool = False) -> None:
        """Fit the confidence model on held-out phrasings (positives) and held-out cards (negatives)."""
        rng = np.random.default_rng(seed)
        rows: list[list[float]] = []
        labels: list[int] = []
        q_entries = np.flatnonzero(self.is_q)
        if len(q_entries) > CALIBRATION_POSITIVES:  # a fixed random subset: enough to fit nine coefficients
            picked = np.sort(rng.choice(q_entries, size=CALIBRATION_POSITIVES, replace=False))
        else:
            picked = q_entries
        from tqdm import tqdm

        for i in tqdm(picked, desc="Calibrating", unit="q", disable=not progress):
            cands = self._candidates(self.vectors[i], self.entries[i].text, exclude_entry=int(i))
            for card, feats in cands:
                rows.append(feats)
                labels.append(int(card == self.entries[i].card))
        held_out = rng.permutation(len(self.library))[:CALIBRATION_NEGATIVES]
        for c in held_out:
            own = [i for i in q_entries if self.entry_card[i] == c]
            for i in rng.choice(own, size=min(1, len(own)), replace=False) if own else []:
                for _, feats in self._candidates(self.vectors[i], self.entries[i].text, exclude_card=c):
                    rows.append(feats)
                    labels.append(0)
        if len(set(labels)) < 2:  # too few cards to learn from: a plain rule stands in
            self._model = None
            return
        model = LogisticRegression(C=1.0, max_iter=1000)
        model.fit(np.asarray(rows), np.asarray(labels))
        self._model = model

    def calibration(self) -> dict[str, Any] | None:
        if self._model is None:
            return None
        return {"coef": self._model.coef_[0].tolist(), "intercept": float(self._model.intercept_[0])}

    # -- matching -------------------------------------------------------------------------------------------
    def match(self, question: str) -> CardMatch | None:
        """The most probable card for ``question`` (None when the library is empty or the text has no words).

        A question asking two things ("c quoi le kv cache et pk ca bouffe autant de memoire ?") is also matched
        part by part (:func:`question_parts`): when the whole question finds no confident card, the part the
        library answers best does; a part confidently matching another card brings it as the runner-up.
        """
        if not self.entries:
            return None
        texts = [question, *question_parts(question)]
        norms = [self.normalizer.normalize(t) for t in texts]
        keep = [n for n in norms if n.terms or n.clean.strip()]
        if not keep or keep[0] is not norms[0]:
            return None
        vecs = self.embedder.embed([n.clean for n in keep])
        found = [self._match_one(v, n.clean) for v, n in zip(vecs, keep, strict=True)]
        combined = combine_parts(found[0], [m for m in found[1:] if m is not None])
        return replace(combined, vector=np.asarray(vecs[0])) if combined is not None else None

    def _match_one(self, vec: np.ndarray, text: str) -> CardMatch | None:
        cands = self._candidates(vec, text)
        if not cands:
            return None
        probs = self._probabilities([f for _, f in cands])
        order = np.argsort(-probs)
        best = self.library.cards[cands[order[0]][0]]
        if len(order) < 2:
            return CardMatch(best, float(probs[order[0]]))
        runner = self.library.cards[cands[order[1]][0]]
        return CardMatch(best, float(probs[order[0]]), runner, float(probs[order[1]]))

    def closest_related(self, card: Card, vector: np.ndarray) -> tuple[Card, float] | None:
        """Among ``card``'s related cards, the one a phrasing of which is closest to the question (``vector``),
        with that cosine; None when it has no related card in the index."""
        best: tuple[Card, float] | None = None
        for rid in card.related:
            if rid not in self.position:
                continue
            mask = (self.entry_card == self.position[rid]) & self.is_q
            if not mask.any():
                continue
            sim = float((self.vectors[mask] @ vector).max())
            if best is None or sim > best[1]:
                best = (self.library.cards[self.position[rid]], sim)
        return best

    def similarity(self, a: Card, b: Card, kind: str = "a") -> float:
        """The best cosine between two cards' simple answers (``kind="a"``) or phrasings (``"q"``): near 1 for the
        same explanation, or the same question, in two chapters."""
        if a.id not in self.position or b.id not in self.position:
            return 0.0
        of_kind = self.is_answer if kind == "a" else self.is_q
        va = self.vectors[(self.entry_card == self.position[a.id]) & of_kind]
        vb = self.vectors[(self.entry_card == self.position[b.id]) & of_kind]
        if not len(va) or not len(vb):
            return 0.0
        return float((va @ vb.T).max())

    def _probabilities(self, feats: list[list[float]]) -> np.ndarray:
        x = np.asarray(feats)
        if self._model is None:
            return np.clip(x[:, 0], 0.0, 1.0)
        return np.asarray(self._model.predict_proba(x)[:, 1])

    def _candidates(self, vec: np.ndarray, text: str, *, exclude_entry: int | None = None,
                    exclude_card: int | None = None) -> list[tuple[int, list[float]]]:
        n_cards = len(self.library)
        sims = self.vectors @ vec
        bm = np.asarray(self._bm25.get_scores(terms_of(text) or ["_"]), dtype=float)
        mask = np.ones(len(self.entries), dtype=bool)
        if exclude_entry is not None:
            mask[exclude_entry] = False
        if exclude_card is not None:
            mask &= self.entry_card != exclude_card
        dq = _per_card(sims, mask & self.is_q, self.entry_card, n_cards)
        da = _per_card(sims, mask & ~self.is_q, self.entry_card, n_cards)
        bq = _per_card(bm, mask & self.is_q, self.entry_card, n_cards)
        ba = _per_card(bm, mask & ~self.is_q, self.entry_card, n_cards)
        bq_top = max(float(bq.max()), 1e-9)
        ba_top = max(float(ba.max()), 1e-9)
        order_d = np.argsort(-dq)
        rank_d = np.empty_like(order_d)
        rank_d[order_d] = np.arange(len(dq))
        rank_b = np.empty_like(order_d)
        rank_b[np.argsort(-bq)] = np.arange(len(bq))
        first, second = dq[order_d[0]], dq[order_d[1]] if len(dq) > 1 else dq[order_d[0]]
        picked = set(np.argsort(-dq)[:TOP]) | set(np.argsort(-bq)[:TOP]) | set(np.argsort(-da)[:3])
        if exclude_card is not None:
            picked.discard(exclude_card)
        out = []
        folded = fold(text)
        asked = question_kind(text)
        for c in sorted(int(x) for x in picked):
            if dq[c] <= -1:  # every entry of this card excluded
                continue
            gap = float(dq[c] - (second if c == order_d[0] else first))
            fz = self._fuzzy(folded, c, mask)
            out.append((c, [float(dq[c]), gap, float(max(da[c], 0.0)), float(bq[c]) / bq_top,
                            float(ba[c]) / ba_top, float(np.log1p(max(bq[c], 0.0))), fz,
                            1.0 / (1.0 + rank_d[c]), 1.0 / (1.0 + rank_b[c]),
                            0.5 if asked is None else float(self.card_kind[c] == asked)]))
        return out

    def _fuzzy(self, folded: str, card: int, mask: np.ndarray) -> float:
        idx = np.flatnonzero((self.entry_card == card) & self.is_q & mask)
        return max((fuzz.ratio(folded, self._folded[i]) for i in idx), default=0.0) / 100.0


def _per_card(scores: np.ndarray, mask: np.ndarray, entry_card: np.ndarray, n_cards: int) -> np.ndarray:
    """The best score of each card over its entries in ``mask`` (-1 when it has none)."""
    out = np.full(n_cards, -1.0)
    np.maximum.at(out, entry_card[mask], scores[mask])
    return out


def _normalizer(library: CardLibrary) -> Normalizer:
    texts = [q for c in library.cards for _, q in c.questions.all()] + [c.section for c in library.cards]
    answers = [t for c in library.cards for lang in ("fr", "en") for t in _answer_texts(c, lang)]  # type: ignore[arg-type]
    return Normalizer(vocabulary_of(texts), known=words_of(answers))


def _answer_texts(card: Card, lang: Lang) -> list[str]:
    trap = card.misconception.get(lang)
    return [card.simple.get(lang), card.standard.get(lang), trap.claim, trap.correction, *card.facts_in(lang)]


def _entries(library: CardLibrary, normalizer: Normalizer) -> list[Entry]:
    entries = []
    for i, card in enumerate(library.cards):
        for _, q in card.questions.all():
            entries.append(Entry(i, "q", normalizer.normalize(q).clean))
        for text in (card.simple.fr, card.simple.en):
            entries.append(Entry(i, "a", normalizer.normalize(text).clean))
        entries.append(Entry(i, "h", normalizer.normalize(card.section).clean))
    return entries


def _model_from(calibration: dict[str, Any]) -> LogisticRegression:
    model = LogisticRegression()
    model.classes_ = np.array([0, 1])
    model.coef_ = np.asarray([calibration["coef"]], dtype=float)
    model.intercept_ = np.asarray([calibration["intercept"]], dtype=float)
    return model


# -- persistence in Chroma ----------------------------------------------------------------------------------
def collection_name(settings: Settings, embedder: Embedder, library: CardLibrary) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in embedder.name)
    return f"{settings.collection}-cards-{safe}-{library.fingerprint[:10]}v{INDEX_VERSION}"[:60]


def open_index(settings: Settings, library: CardLibrary | None = None, embedder: Embedder | None = None, *,
               progress: bool = False) -> CardIndex:
    """The card index for these settings: loaded from its Chroma collection, or built and stored there."""
    library = library if library is not None else load_cards()
    embedder = embedder or get_embedder(settings)
    client = get_client(settings)
    name = collection_name(settings, embedder, library)
    try:
        col = client.get_collection(name=name, embedding_function=ChromaEmbeddingFunction(embedder))
        index = _load(col, library, embedder)
        if index is not None:
            return index
    except Exception as exc:  # noqa: BLE001 - a missing or partial collection is rebuilt
        log.debug("card collection %s not usable (%s); building it", name, exc)
    index = CardIndex.build(library, embedder, progress=progress)
    _store(client, name, index, embedder)
    return index


def _load(col: Any, library: CardLibrary, embedder: Embedder) -> CardIndex | None:
    """The stored index (entries as they were normalised when it was built: nothing is normalised again), or None
    when the collection is incomplete or names a card the library no longer has."""
    meta = col.metadata or {}
    if "calibration" not in meta:
        return None
    got = _read_pages(col)
    if not got["ids"]:
        return None
    position = {card.id: i for i, card in enumerate(library.cards)}
    order = np.argsort([int(i) for i in got["ids"]])
    if [int(got["ids"][k]) for k in order] != list(range(len(order))):
        return None  # a partial upload (another process still storing it)
    metas = [got["metadatas"][k] or {} for k in order]
    if any(m.get("card") not in position for m in metas):
        return None
    entries = [Entry(position[m["card"]], str(m.get("kind", "q")), got["documents"][k]) for m, k in zip(metas, order,
                                                                                                          strict=True)]
    vectors = got["embeddings"][order]
    calibration = json.loads(meta["calibration"]) if meta["calibration"] else None
    return CardIndex(library, embedder, entries, vectors, _normalizer(library), calibration)


def _read_pages(col: Any, page: int = 2000) -> dict[str, Any]:
    """The whole collection, read a page at a time: one read of every embedding at once costs several hundred
    MB of transient memory per process (measured), which a team's eight tutors on one machine cannot afford."""
    ids: list[str] = []
    documents: list[str] = []
    metadatas: list[Any] = []
    vectors: list[np.ndarray] = []
    total = col.count()
    for offset in range(0, total, page):
        got = col.get(include=["embeddings", "documents", "metadatas"], limit=page, offset=offset)
        ids += got["ids"]
        documents += got["documents"]
        metadatas += got["metadatas"]
        vectors.append(np.asarray(got["embeddings"], dtype=np.float32))
    embeddings = np.concatenate(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
    return {"ids": ids, "documents": documents, "metadatas": metadatas, "embeddings": embeddings}


def _store(client: Any, name: str, index: CardIndex, embedder: Embedder) -> None:
    prefix = name.rsplit("-", 1)[0]
    try:
        for old in client.list_collections():
            old_name = getattr(old, "name", old)
            if old_name.startswith(prefix) and old_name != name:
                client.delete_collection(old_name)
        col = client.get_or_create_collection(
            name=name, embedding_function=ChromaEmbeddingFunction(embedder),
            metadata={"hnsw:space": "cosine", "calibration": json.dumps(index.calibration() or "")},
        )
        ids = [str(i) for i in range(len(index.entries))]
        metas = [{"card": index.library.cards[e.card].id, "kind": e.kind} for e in index.entries]
        for s in range(0, len(ids), 1000):
            col.upsert(ids=ids[s:s + 1000], embeddings=index.vectors[s:s + 1000].tolist(),
                       documents=[e.text for e in index.entries[s:s + 1000]], metadatas=metas[s:s + 1000])
    except Exception as exc:  # noqa: BLE001 - the index still works in memory; the next start rebuilds it
        log.warning("could not store the card index in Chroma (%s); it will be rebuilt next time", exc)


_MEMO: dict[tuple[str, str], CardIndex] = {}


def load_default_index(settings: Settings, *, progress: bool = False) -> CardIndex:
    """The shipped cards' index for the configured embedder, opened once per process (cards and embedder
    fingerprinted: an edited card file or another embedder opens a new one)."""
    library = load_cards()
    embedder = get_embedder(settings)
    key = (library.fingerprint, embedder.name)
    if key not in _MEMO:
        _MEMO[key] = open_index(settings, library, embedder, progress=progress)
    return _MEMO[key]
