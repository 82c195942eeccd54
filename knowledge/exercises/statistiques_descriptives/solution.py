import math


def _check(xs):
    if len(xs) == 0:
        raise ValueError("liste vide")


def mean(xs):
    _check(xs)
    return sum(xs) / len(xs)


def median(xs):
    _check(xs)
    s = sorted(xs)
    n = len(s)
    mid = n // 2
    return s[mid] if n % 2 else (s[mid - 1] + s[mid]) / 2


def mode(xs):
    _check(xs)
    counts = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    best = max(counts.values())
    return min(x for x, c in counts.items() if c == best)


def variance(xs, ddof=0):
    _check(xs)
    m = mean(xs)
    return sum((x - m) ** 2 for x in xs) / (len(xs) - ddof)


def std(xs, ddof=0):
    return math.sqrt(variance(xs, ddof))
