"""Character and word tokenizers: text <-> integer ids."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from models.errors import DataError

WORD_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)


class CharTokenizer:
    """One id per distinct character, sorted, so the same text always gives the same vocabulary."""

    def __init__(self, chars: list[str]) -> None:
        self.itos = list(chars)
        self.stoi = {ch: i for i, ch in enumerate(self.itos)}

    @classmethod
    def from_text(cls, text: str) -> CharTokenizer:
        if not text:
            raise DataError("cannot build a vocabulary from empty text")
        return cls(sorted(set(text)))

    @property
    def vocab_size(self) -> int:
        return len(self.itos)

    def encode(self, text: str) -> np.ndarray:
        unknown = sorted(set(text) - set(self.stoi))
        if unknown:
            raise DataError(f"characters {unknown[:10]} are not in the vocabulary; rebuild it from this text")
        return np.array([self.stoi[ch] for ch in text], dtype=np.int64)

    def decode(self, ids: np.ndarray | list[int]) -> str:
        return "".join(self.itos[int(i)] for i in ids)


class WordTokenizer:
    """Words and punctuation marks (lower-cased); words seen fewer than ``min_count`` times map to
    ``<unk>``."""

    UNK = "<unk>"

    def __init__(self, words: list[str]) -> None:
        self.itos = [self.UNK] + [w for w in words if w != self.UNK]
        self.stoi = {w: i for i, w in enumerate(self.itos)}

    @staticmethod
    def split(text: str) -> list[str]:
        return WORD_RE.findall(text.lower())

    @classmethod
    def from_text(cls, text: str, *, min_count: int = 1) -> WordTokenizer:
        counts = Counter(cls.split(text))
        if not counts:
            raise DataError("cannot build a vocabulary from text without words")
        return cls(sorted(w for w, c in counts.items() if c >= min_count))

    @property
    def vocab_size(self) -> int:
        return len(self.itos)

    def encode(self, text: str) -> np.ndarray:
        return np.array([self.stoi.get(w, 0) for w in self.split(text)], dtype=np.int64)

    def decode(self, ids: np.ndarray | list[int]) -> str:
        text = " ".join(self.itos[int(i)] for i in ids)
        return re.sub(r" ([.,;:!?)\]])", r"\1", text).replace("' ", "'")
