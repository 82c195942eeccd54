"""Learner text as the matcher reads it: chat spelling expanded, typos mended, course terms made bilingual.

Two forms come out of :func:`Normalizer.normalize`:

- ``clean``: the text with chat abbreviations expanded ("pk" -> "pourquoi", "c quoi" -> "c'est quoi") and
  typos mended, accents kept: what the sentence embedder reads;
- ``terms``: folded words where every course term, in French, English or learner spelling, is replaced by one
  canonical token from the glossary ("normalisation de couche", "layer norm" -> ``layernorm``): what BM25 reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from knowledge.textio import fold

GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary.yaml"
# chat spelling -> written form (whole words, folded)
ABBREVIATIONS: dict[str, str] = {
    "pk": "pourquoi", "pq": "pourquoi", "pkoi": "pourquoi", "pourkoi": "pourquoi", "pcq": "parce que",
    "ckoi": "c'est quoi", "koi": "quoi", "cest": "c'est", "c": "c'est", "ca": "ça",
    "jcomprends": "je comprends", "jcomprend": "je comprends", "j'comprends": "je comprends",
    "j'comprend": "je comprends", "comprend": "comprends", "jpige": "je comprends", "pige": "comprends",
    "jsp": "je ne sais pas", "jsais": "je sais", "chai": "je sais", "stp": "s'il te plaît", "svp": "s'il vous plaît",
    "bcp": "beaucoup", "qd": "quand", "tjs": "toujours", "tjrs": "toujours", "pr": "pour", "ds": "dans",
    "ac": "avec", "avc": "avec", "diff": "différence", "qqch": "quelque chose", "qqc": "quelque chose",
    "mm": "même", "tt": "tout", "pb": "problème", "pbm": "problème", "exo": "exercice", "dc": "donc",
    "ya": "il y a", "y'a": "il y a", "nn": "non", "vs": "versus", "expliq": "explique", "xplique": "explique",
    "c'est-a-dire": "c'est-à-dire", "cad": "c'est-à-dire", "kel": "quel", "kelle": "quelle",
    "whats": "what is", "what's": "what is", "wat": "what", "u": "you", "ur": "your", "pls": "please",
    "plz": "please", "idk": "i don't know", "dont": "don't", "doesnt": "doesn't", "isnt": "isn't",
    "hows": "how is", "whys": "why is", "thx": "thanks", "w/": "with", "b/w": "between", "btwn": "between",
}
_WORD = re.compile(r"[\w'’/-]+|[^\w\s]", re.UNICODE)
_TOKEN = re.compile(r"[a-z0-9]+")
# function words carry no topic; question words (pourquoi, comment, quand, why, how) are kept: they tell cards apart
STOP = set(
    """a au aux avec ce ces cela dans de des du elle en est et eux il je la le les leur lui ma mais me mes moi mon ne
    nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous y d l j
    m n s t c ca etre avoir fait faire peut the of and or to in is are was be an as at by for from it its this that
    do does can i you me my we our please stp svp plait s'il il te vraiment bien alors donc""".split()
)
TYPO_MIN_LEN = 5
TYPO_CUTOFF = 86.0


@dataclass(frozen=True)
class Normalized:
    clean: str
    terms: list[str]


def _canonical(token: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(token))


@lru_cache(maxsize=1)
def glossary() -> tuple[dict[str, str], re.Pattern[str]]:
    """Variant (folded) -> canonical token, and one regex matching any variant as whole words, longest first."""
    groups = yaml.safe_load(GLOSSARY_FILE.read_text("utf-8")) or []
    table: dict[str, str] = {}
    for group in groups:
        canon = _canonical(str(group[0]))
        for variant in group:
            table[fold(str(variant)).strip()] = canon
    alternatives = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(v) for v in alternatives) + r")(?![\w])")
    return table, pattern


class Normalizer:
    """Normalises learner text against a vocabulary (the words of the cards' questions and the glossary).

    ``known`` are more real words (those of the cards' answers): never mended, never a mending's target. Without
    them a correct word missing from the questions was "mended" into a neighbour ("maladie" -> "malade").
    """

    def __init__(self, vocabulary: set[str], known: Iterable[str] = ()) -> None:
        table, _ = glossary()
        words = set(vocabulary)
        for variant in table:
            words.update(_TOKEN.findall(variant))
        self._vocab = sorted(w for w in words if len(w) >= 3)
        self._known = words | set(known) | set(ABBREVIATIONS)
        self._mended: dict[str, str] = {}

    def _mend(self, word: str) -> str:
        """A long unknown word replaced by the closest known one (rapidfuzz), when it is close enough."""
        if word not in self._mended:
            self._mended[word] = self._closest(word)
        return self._mended[word]

    def _closest(self, word: str) -> str:
        elided = re.match(r"^([dljmnstc]|qu)'(.+)$", word, re.I)  # l'atention: mend the word after the elision
        if elided:
            return f"{elided.group(1)}'{self._closest(elided.group(2))}"
        low = fold(word)
        if len(low) < TYPO_MIN_LEN or low in self._known or not low.isalpha():
            return word
        best = process.extractOne(low, self._vocab, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
        return best[0] if best else word

    def normalize(self, text: str) -> Normalized:
        expanded = expand(text)
        clean = " ".join(self._mend(w) for w in expanded.split())
        return Normalized(clean, terms_of(clean))


def expand(text: str) -> str:
    """Chat abbreviations written out ("pk c quoi la layer norm" -> "pourquoi c'est quoi la layer norm")."""
    text = text.replace("’", "'")
    out = []
    for word in text.split():
        key = fold(word).strip(".,;:!?()\"«»")
        out.append(ABBREVIATIONS.get(key, word))
    return " ".join(out)


def terms_of(text: str) -> list[str]:
    """Folded words with every glossary variant replaced by its canonical token."""
    table, pattern = glossary()
    folded = fold(text).replace("’", "'")
    folded = re.sub(r"[?!.,;:()\[\]{}\"«»]", " ", folded)
    replaced = pattern.sub(lambda m: f" {table[m.group(0)]} ", folded)
    replaced = re.sub(r"(?<=[a-z0-9])_(?=[a-z0-9])", "", replaced)  # d_k -> dk
    return [w for w in _TOKEN.findall(replaced) if w not in STOP and (len(w) > 1 or w.isdigit())]


def words_of(texts: list[str]) -> set[str]:
    """Folded words of these texts, as written (no chat spelling to expand: the cards' answers)."""
    return set(_TOKEN.findall(fold(" ".join(texts))))


def vocabulary_of(texts: list[str]) -> set[str]:
    """Folded words of these texts (what typos are mended towards)."""
    words: set[str] = set()
    for t in texts:
        words.update(_TOKEN.findall(fold(expand(t))))
    return words
