"""What learners say about their time: weekly hours from a schedule, a deadline, a focus; and what they compare.

    >>> weekly_hours("1h le soir en semaine et 3h le week-end")
    11.0
    >>> deadline_month("je veux finir avant mars"), phase("la phase 5 d'abord")
    (3, 5)
"""

from __future__ import annotations

import re
from datetime import date

from knowledge.textio import fold

_H = r"(\d+(?:[.,]\d+)?)\s*(h|heures?|hours?|hrs?|min\w*|mn)(?:\s*(\d{2}))?\b"
_WEEKDAYS = r"(?:en semaine|every weekday|each weekday|weekday evenings?|" \
            r"les jours de semaine|du lundi au vendredi|weekdays?|on weekdays|during the week|" \
            r"in the week|lundi-vendredi|l-v|tous les soirs de la semaine|chaque soir de la semaine)"
_WEEKEND = r"(?:le week[- ]?end|les week[- ]?ends?|le we\b|the weekend|on weekends?|at the weekend|weekends?)"
_DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "monday", "tuesday",
              "wednesday", "thursday", "friday", "saturday", "sunday", "sat", "sun"]


_NUMBER_WORDS = {"un": 1, "une": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3, "quatre": 4, "four": 4,
                 "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7, "huit": 8, "eight": 8, "neuf": 9, "nine": 9,
                 "dix": 10, "ten": 10, "douze": 12, "twelve": 12, "quinze": 15, "fifteen": 15, "vingt": 20,
                 "twenty": 20}
_UNITS = r"(?:h\b|heures?|hours?|hrs?|mois|months?|semaines?|weeks?|ans?\b|annees?|years?|yrs?|jours?|days?|soirs?)"


def digits(low: str) -> str:
    """Number words before a unit written as digits: "deux heures" -> "2 heures", "an hour" -> "1 hour"."""
    words = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    low = re.sub(r"\b(?:an|a|one) hour\b", "1 hour", low)
    low = re.sub(r"\b(?:next|le|the|ce) (?:mois prochain|month)\b|\bmois prochain\b|\bnext month\b", "4 weeks", low)
    low = re.sub(rf"\b({words})-(?={_UNITS})", lambda m: f"{_NUMBER_WORDS[m.group(1)]} ", low)
    return re.sub(rf"\b({words})\s+(?=(?:(?:prochaines?|prochains?|dernieres?|derniers?|next|last|past)\s+)?"
                  rf"{_UNITS})", lambda m: f"{_NUMBER_WORDS[m.group(1)]} ", low)


def _hours(m: re.Match[str]) -> float:
    h = float(m.group(1).replace(",", "."))
    if m.group(2).startswith("m"):
        return h / 60
    return h + (int(m.group(3)) / 60 if m.group(3) else 0.0)


def _markers(low: str) -> list[tuple[int, int, int]]:
    """(start, end, days per week) of each "en semaine", "le week-end", "le mardi et le jeudi" in the text."""
    out = [(m.start(), m.end(), 5) for m in re.finditer(_WEEKDAYS, low)]
    out += [(m.start(), m.end(), 2) for m in re.finditer(_WEEKEND, low)]
    days = "|".join(_DAY_NAMES)
    for m in re.finditer(rf"(?:{days})s?(?:\s*(?:,|et|and|&|ou)\s*(?:le |les )?(?:{days})s?)*", low):
        out.append((m.start(), m.end(), len(re.findall(days, m.group(0)))))
    return sorted(out)


def weekly_hours(text: str) -> float | None:
    """Hours per week from a schedule ("1h le soir en semaine + 3h le week-end" = 5×1 + 2×3), or None.

    Each amount of hours goes with the nearest marker of days that follows it (within a few words, no other amount
    in between), else the one just before it ("en semaine : 1h").
    """
    low = digits(fold(text))
    amounts = list(re.finditer(_H, low))
    markers = _markers(low)
    if not amounts or not markers:
        return None
    total, used = 0.0, set()
    for i, m in enumerate(amounts):
        next_amount = amounts[i + 1].start() if i + 1 < len(amounts) else len(low)
        prev_amount = amounts[i - 1].end() if i else 0
        after = [k for k in markers if m.end() <= k[0] < min(next_amount, m.end() + 35) and k not in used]
        before = [k for k in markers if max(prev_amount, m.start() - 20) <= k[1] <= m.start() and k not in used]
        if after and before and re.search(r"[,;+]|\b(?:et|and|puis|then)\b", low[m.end():after[0][0]]):
            after = []  # "en semaine 2h, le we 4h": the marker after belongs to the next amount
        pick = after[0] if after else before[-1] if before else None
        if pick is None:
            continue
        used.add(pick)
        total += pick[2] * _hours(m)
    return round(total, 2) if used else None


_SEASONS = {"ete": 6, "summer": 6, "rentree": 9, "automne": 9, "autumn": 9, "fall": 9, "noel": 12,
            "christmas": 12, "fin de l'annee": 12, "end of the year": 12, "end of year": 12, "printemps": 3,
            "spring": 3, "hiver": 12, "winter": 12, "nouvel an": 1, "new year": 1}
_MONTHS = {m: i for i, m in enumerate(
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split(), 1)}
_MONTHS.update({m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)})
_MONTHS.update({"fev": 2, "sept": 9, "dec": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
                "aug": 8, "sep": 9, "oct": 10, "nov": 11})
_BEFORE = (r"(?:en|in|avant|d['\s]?ici|pour|jusqu'?(?:a|en|au)|fin|by|before|until|for|end of|deadline|d'ici a|"
           r"au plus tard)")


def deadline_month(text: str) -> int | None:
    """The month a deadline names ("avant mars" = 3, "d'ici l'été" = 6, "pour la rentrée" = 9), or None."""
    low = fold(text)
    names = "|".join(sorted(_MONTHS, key=len, reverse=True))
    m = re.search(rf"\b{_BEFORE}\s+(?:(?:le |la |l'|the |mi-|debut |fin |early |mid-?|late )*)?({names})\b", low)
    if m and not re.match(r"\s*\d", low[m.end():]):  # "avant mars" but not "mars 2015" as a date
        return _MONTHS[m.group(1)]
    seasons = "|".join(sorted(_SEASONS, key=len, reverse=True))
    m = re.search(rf"\b{_BEFORE}\s+(?:(?:le |la |l'|les |the |this |cet |cette )*)?({seasons})\b", low)
    return _SEASONS[m.group(1)] if m else None


def until_date(month: int, today: date | None = None) -> date:
    """The first day of the next ``month`` to come (a deadline "avant mars" in November is next year's 1 March)."""
    today = today or date.today()
    year = today.year if month > today.month else today.year + 1
    return date(year, month, 1)


_FOCUS = re.compile(r"\b(?:focus(?:ed)? (?:sur|on)|me concentrer sur|concentre sur|centre sur|la partie|the part on|"
                    r"finir|terminer|boucler|attaquer|reviser|bosser|finish|learn|study|master)\s+"
                    r"(?:(?:les|la|le|l'|the|des|du|my|mes|sur|partie|part|on|of)\s*)*([a-z][\w-]{2,})")
_NOT_FOCUS = {"phase", "roadmap", "parcours", "cours", "course", "programme", "tout", "everything", "all", "plan",
              "semaine", "week", "mois", "month", "chapitre", "chapter", "avant", "before", "d'ici", "en", "pour"}


def focus(text: str) -> str | None:
    """The subject a plan should focus on ("finir les transformers" -> "transformers"), when it is not a phase."""
    m = _FOCUS.search(fold(text).replace("'", "' "))
    word = m.group(1) if m else None
    return word if word and word not in _NOT_FOCUS and not word.isdigit() else None


def phase(text: str) -> int | None:
    m = re.search(r"\bphase\s*(\d)\b|\bp(\d)\b", fold(text))
    return int(m.group(1) or m.group(2)) if m else None


_GARCH_MODELS = [(r"\bgjr|threshold garch|\btgarch", "gjr"), (r"\begarch|exponential garch", "egarch"),
                 (r"(?<![a-z-])(?<!gjr )garch(?!\w)", "garch")]
_VAR_METHODS = [
    (r"(?<!filtered )histori|empiri", "historical"),
    (r"\bnormale?\b|gaussi|parametri|variance[- ]covariance", "normal"),
    (r"student|\bt[- ]dist", "student-t"),
    (r"cornish|fisher", "cornish-fisher"),
    (r"monte[- ]?carlo|(?<!historical )simulation(?! histori)", "monte-carlo"),
    (r"\bfhs\b|filtered historical|historique filtre", "fhs"),
    (r"garch", "garch"),
]
_COMPARE = re.compile(r"compar|\bvs\.?\b|versus|contre|face a|difference de (?:resultat|perf)|lequel|which is better|"
                      r"side by side|l'un et l'autre|les deux|both|et un|and an?\b|\bet\b.*\bsur\b")


def compared(text: str, kind: str) -> list[str] | None:
    """The models (``kind="garch"``) or VaR methods (``kind="var"``) a comparison names, when it names two or more."""
    low = fold(text)
    if not _COMPARE.search(low):
        return None
    rules = _GARCH_MODELS if kind == "garch" else _VAR_METHODS
    found = [value for pattern, value in rules if re.search(pattern, low)]
    alone = not re.search(r"histori\w*\s+(?:et|and|vs|,)", low)
    if kind == "var" and "fhs" in found and "historical" in found and alone:
        found.remove("historical")  # "historique filtrée" alone is FHS
    return found if len(found) >= 2 else None


def last_years(text: str) -> int | None:
    """"sur les 5 dernières années", "over the last 3 yrs", "les cinq dernieres annee" -> the number of years."""
    low = digits(fold(text))
    m = re.search(r"(?:last|past|dernieres?|derniers?)\s+(\d{1,2})\s*(?:annees?|ans?|years?|yrs?)\b", low) or \
        re.search(r"(\d{1,2})\s*(?:dernieres?|derniers?|last|past)\s+(?:annees?|ans?|years?|yrs?)\b", low)
    return int(m.group(1)) if m else None
