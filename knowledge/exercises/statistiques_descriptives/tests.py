from collections import Counter

import numpy as np

from _judge import Mismatch, close, equal, function

RNG = np.random.default_rng(8)
DATA = [RNG.normal(10, 3, size=11).round(2).tolist(), RNG.integers(0, 6, size=20).tolist(), [4.0], [1, 2, 3, 4]]


def test_mean():
    """mean = moyenne arithmétique."""
    for xs in DATA:
        close(function("mean")(xs), np.mean(xs), what="mean", inputs=xs)


def test_median():
    """median, tailles paires et impaires."""
    for xs in DATA:
        close(function("median")(xs), np.median(xs), what="median", inputs=xs)


def test_mode():
    """mode = valeur la plus fréquente, la plus petite en cas d'égalité."""
    for xs in [DATA[1], [3, 1, 3, 1, 2], [5, 5, 2]]:
        counts = Counter(xs)
        best = max(counts.values())
        equal(function("mode")(xs), min(x for x, c in counts.items() if c == best), what="mode", inputs=xs)


def test_variance_and_std():
    """variance et std avec ddof = 0 et ddof = 1."""
    for xs in DATA[:2] + [DATA[3]]:
        for ddof in (0, 1):
            close(function("variance")(xs, ddof=ddof), np.var(xs, ddof=ddof), what=f"variance(ddof={ddof})",
                  inputs=xs)
            close(function("std")(xs, ddof=ddof), np.std(xs, ddof=ddof), what=f"std(ddof={ddof})", inputs=xs)


def test_empty_raises():
    """une liste vide lève ValueError."""
    for name in ("mean", "median", "variance"):
        try:
            got = function(name)([])
        except ValueError:
            continue
        raise Mismatch(f"{name}([]) doit lever ValueError", inputs=[], expected="ValueError", got=got)
