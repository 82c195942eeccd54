"""What the learner wants, learned from labelled requests (``agents/eval/intents/train.json``).

A logistic regression over three views of a request: character n-grams of the normalised text (typos, missing
accents and chat spelling share most of their n-grams with the right spelling), word n-grams, and the multilingual
sentence embedding (paraphrases, French and English alike); plus a few markers (code attached, code defining an
exercise's functions, the course's topic words). Probabilities are calibrated by temperature scaling on
out-of-fold predictions, so that a low confidence means a real doubt: the tutor then asks instead of guessing.
A second, smaller model tells which kind of follow-up a follow-up is ("plus simplement", "un exemple", "et à 95 % ?").

    python -m agents.routing.intent train        # retrain from the labelled set, write intent_model.joblib
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from knowledge.textio import fold

log = logging.getLogger(__name__)

IntentName = Literal["explain", "fit_garch", "value_at_risk", "backtest_strategy", "model_lab", "run_python",
                     "check_exercise", "hint", "study_plan", "roadmap_progress", "quiz", "flashcard", "follow_up",
                     "chitchat", "clarify"]
INTENTS: tuple[str, ...] = IntentName.__args__  # type: ignore[attr-defined]
FOLLOW_UP_KINDS = ("simpler", "example", "more", "why", "lost", "change", "accept", "decline")
DATA_DIR = Path(__file__).resolve().parents[1] / "eval" / "intents"
TRAIN_FILE = DATA_DIR / "train.json"
MODEL_FILE = Path(__file__).with_name("intent_model.joblib")
FORMAT = 1  # bump when the features change: a saved model of another format is retrained
# the tools' older sets: their "tool" is an intent ("search_course" = explain)
LEGACY_SETS = ("requests.json", "heldout.json", "heldout2.json")


@dataclass(frozen=True)
class Prediction:
    """The likeliest intent, its calibrated probability, and the ranking of all intents."""

    intent: str
    confidence: float
    ranked: tuple[tuple[str, float], ...]

    @property
    def runner_up(self) -> tuple[str, float]:
        return self.ranked[1] if len(self.ranked) > 1 else (self.intent, 0.0)


def load_examples(directory: Path = DATA_DIR) -> list[dict[str, Any]]:
    """Every labelled request: the intent sets of ``directory`` (``train*.json``) and the tools' older sets."""
    out: list[dict[str, Any]] = []
    for path in sorted(directory.glob("train*.json")):
        out.extend(json.loads(path.read_text(encoding="utf-8")))
    for name in LEGACY_SETS:
        path = directory.parent / name
        if path.is_file():
            for req in json.loads(path.read_text(encoding="utf-8")):
                intent = "explain" if req["tool"] == "search_course" else req["tool"]
                out.append({**req, "intent": intent})
    return [e for e in out if e.get("intent") in INTENTS]


# -- features ---------------------------------------------------------------------------------------------------
def _markers(code: str | None) -> list[str]:
    if code is None:
        return []
    marks = ["zzcode"]
    defined = set(re.findall(r"^\s*def\s+(\w+)", code, re.M))
    if defined & _exercise_functions():
        marks.append("zzexercisefn")
    return marks


@cache
def _exercise_functions() -> frozenset[str]:
    from knowledge.exercise_bank import list_exercises

    return frozenset(f for info in list_exercises() for f in info.functions)


def _topic_marks(low: str) -> list[str]:
    from agents.routing.topics import topic_hits

    return [f"zztopic{name.replace('_', '')}" for name in topic_hits(low)]


def normalise(text: str, code: str | None = None) -> str:
    """The request as the n-gram views see it: chat spelling written out, folded, digits collapsed, markers."""
    from knowledge.cards.normalize import expand

    low = fold(expand(text))
    low = re.sub(r"\d+(?:[.,]\d+)?", "0", low)
    return " ".join([low, *_markers(code), *_topic_marks(fold(text))])


# -- the model --------------------------------------------------------------------------------------------------
class IntentModel:
    """Vectorisers, the two classifiers and the temperature, saved together (``joblib``)."""

    def __init__(self, char: Any, word: Any, clf: Any, temperature: float, kind_clf: Any,
                 embedder: str) -> None:
        self.char, self.word, self.clf, self.temperature = char, word, clf, temperature
        self.kind_clf, self.embedder, self.format = kind_clf, embedder, FORMAT

    def _matrix(self, texts: list[str], vectors: np.ndarray) -> Any:
        import sklearn
        from scipy.sparse import csr_matrix, hstack

        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            parts = [self.char.transform(texts), self.word.transform(texts), csr_matrix(vectors)]
        return hstack(parts).tocsr()

    def predict(self, text: str, code: str | None, vector: np.ndarray) -> Prediction:
        x = self._matrix([normalise(text, code)], vector.reshape(1, -1))
        scores = np.asarray(x @ self.clf.coef_.T).ravel() + self.clf.intercept_  # decision_function, unchecked
        logits = scores / self.temperature
        p = np.exp(logits - logits.max())
        p /= p.sum()
        order = np.argsort(-p)
        ranked = tuple((str(self.clf.classes_[i]), float(p[i])) for i in order)
        return Prediction(ranked[0][0], ranked[0][1], ranked)

    def follow_up_kind(self, text: str, vector: np.ndarray) -> str:
        if self.kind_clf is None:
            return "more"
        x = self._matrix([normalise(text)], vector.reshape(1, -1))
        return str(self.kind_clf.predict(x)[0])


def _vectorisers() -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, max_features=30000, sublinear_tf=True)
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=1, max_features=8000, sublinear_tf=True,
                           token_pattern=r"[a-z0-9']+")
    return char, word


def _classifier(c: float = 8.0) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced")


def _fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises the out-of-fold negative log-likelihood."""
    from scipy.optimize import minimize_scalar

    def nll(t: float) -> float:
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(labels)), labels].mean())

    return float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)


def train(examples: list[dict[str, Any]], embed: Any, embedder: str, *, folds: int = 5) -> IntentModel:
    """Fit the intent model (and the follow-up kind model) on labelled requests; ``embed(texts) -> (N, D)``."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts = [normalise(e["text"], e.get("code")) for e in examples]
    vectors = np.asarray(embed([e["text"] for e in examples]), dtype=np.float32)
    labels = np.array([e["intent"] for e in examples])
    char, word = _vectorisers()
    char.fit(texts)
    word.fit(texts)
    model = IntentModel(char, word, None, 1.0, None, embedder)
    x = model._matrix(texts, vectors)
    clf = _classifier()
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    oof = cross_val_predict(clf, x, labels, cv=cv, method="decision_function")
    clf.fit(x, labels)
    index = {c: i for i, c in enumerate(clf.classes_)}
    model.clf = clf
    model.temperature = _fit_temperature(oof, np.array([index[y] for y in labels]))
    kinds = [(i, e["args"].get("kind")) for i, e in enumerate(examples)
             if e["intent"] == "follow_up" and e.get("args", {}).get("kind") in FOLLOW_UP_KINDS]
    if len({k for _, k in kinds}) > 1:
        kind_x = model._matrix([normalise(examples[i]["text"]) for i, _ in kinds], vectors[[i for i, _ in kinds]])
        model.kind_clf = _classifier(4.0).fit(kind_x, [k for _, k in kinds])
    log.info("intent model: %d requests, %d intents, temperature %.2f", len(examples), len(clf.classes_),
             model.temperature)
    return model


def save(model: IntentModel, path: Path = MODEL_FILE) -> None:
    import joblib
    import sklearn

    joblib.dump({"model": model, "sklearn": sklearn.__version__, "format": FORMAT}, path, compress=3)


def _load(path: Path, embedder: str) -> IntentModel | None:
    import joblib
    import sklearn

    try:
        saved = joblib.load(path)
    except Exception as exc:  # a file from another version of the libraries: retrain
        log.warning("intent model %s unreadable (%r); retraining", path, exc)
        return None
    model = saved.get("model") if isinstance(saved, dict) else None
    if (not isinstance(model, IntentModel) or saved.get("sklearn") != sklearn.__version__
            or saved.get("format") != FORMAT or model.embedder != embedder):
        return None
    return model


def load_intent_model(embedder: Any, cache_dir: Path) -> IntentModel:
    """The shipped model when it fits this embedder and these libraries; else one trained now and cached."""
    name = str(getattr(embedder, "name", "embedder"))
    for path in (MODEL_FILE, cache_dir / f"intent_model-{_slug(name)}.joblib"):
        if path.is_file() and (model := _load(path, name)) is not None:
            return model
    log.info("training the intent model for embedder %s (once; cached in %s)", name, cache_dir)
    model = train(load_examples(), embedder.embed, name)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        save(model, cache_dir / f"intent_model-{_slug(name)}.joblib")
    except OSError as exc:  # a read-only home: the model lives for this process only
        log.warning("cannot cache the intent model in %s: %s", cache_dir, exc)
    return model


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def main(argv: list[str] | None = None) -> None:
    """``python -m agents.routing.intent train``: retrain from the labelled set and save the model."""
    import argparse

    from knowledge.config import get_settings
    from knowledge.embeddings import get_embedder

    parser = argparse.ArgumentParser(prog="python -m agents.routing.intent")
    parser.add_argument("command", choices=["train"])
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from agents.routing import intent  # this module under its own name, not ``__main__``: the pickle names it

    embedder = get_embedder(get_settings())
    examples = intent.load_examples()
    intent.save(intent.train(examples, embedder.embed, embedder.name))
    log.info("saved %s (%d requests)", MODEL_FILE, len(examples))


if __name__ == "__main__":
    main()
