"""Dates written by the learner: ISO ``2015-04-03``, or French day-first ``03/04/2015`` (3 April, never 4 March).

The learner is French: ``JJ/MM/AAAA`` (with ``/``, ``.`` or ``-``) is read day first, and
:meth:`LearnerDate.note` says which date was used ("03/04/2015 lu comme le 3 avril 2015"). What cannot be read,
or does not exist (``2015-02-30``, ``31/04/2015``, ``12/25/2015``), raises :class:`~knowledge.errors.DateError`
with a French message asking for ``YYYY-MM-DD``.

    >>> parse_learner_date("03/04/2015").value
    datetime.date(2015, 4, 3)
    >>> parse_learner_date("25/12/2015").note("--start")
    '--start 25/12/2015 lu comme le 25 décembre 2015 (jour/mois/année, la convention française)'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from knowledge.errors import DateError

__all__ = ["LearnerDate", "french_date", "parse_learner_date"]

MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?")
_ASK = "écrivez la date au format YYYY-MM-DD (année-mois-jour), par exemple 2015-04-03 pour le 3 avril 2015"


@dataclass(frozen=True)
class LearnerDate:
    """A date as the learner wrote it and as it was read."""

    value: date
    written: str
    day_first: bool  # written JJ/MM/AAAA and read day first

    @property
    def ambiguous(self) -> bool:
        """Day and month could be swapped (03/04/2015): the reading must be said."""
        return self.day_first and self.value.day <= 12 and self.value.day != self.value.month

    def note(self, what: str = "la date") -> str | None:
        """What was read, for any date not written ISO; ``None`` for ``YYYY-MM-DD``."""
        if not self.day_first:
            return None
        said = f"{what} {self.written} lu comme le {french_date(self.value)} (jour/mois/année, la convention française"
        if not self.ambiguous:
            return said + ")"
        other = date(self.value.year, self.value.day, self.value.month)
        return f"{said} ; pour le {french_date(other)}, écrivez {other.isoformat()})"


def french_date(day: date) -> str:
    """``3 avril 2015``, ``1er mai 2020``."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def _checked(year: int, month: int, day: int, written: str, *, day_first: bool = False) -> date:
    if not 1 <= month <= 12:
        swapped = f" ; vouliez-vous dire le {french_date(date(year, day, month))} ?" \
            if day_first and _exists(year, day, month) else ""
        raise DateError(f"date impossible « {written} » : {month} n'est pas un mois (1 à 12){swapped} ; {_ASK}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(f"date impossible « {written} » : le {day} {MONTHS_FR[month - 1]} {year} n'existe pas "
                        f"({MONTHS_FR[month - 1]} {year} a {last} jours) ; {_ASK}")
    return date(year, month, day)


def _exists(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def parse_learner_date(text: str) -> LearnerDate:
    """Read a date written by the learner (see the module's docstring), or raise :class:`DateError`."""
    written = str(text).strip()
    if not written:
        raise DateError(f"la date est vide ; {_ASK}")
    if m := _ISO.fullmatch(written) or _YEAR_FIRST.fullmatch(written):
        year, month, day = (int(g) for g in m.groups())
        return LearnerDate(_checked(year, month, day, written), written, day_first=False)
    if m := _DAY_FIRST.fullmatch(written):
        day, month = int(m.group(1)), int(m.group(2))
        if m.group(3) is None:
            if not _exists(2000, month, day):  # 2000: a leap year, so 29/02 is possible
                name = f"le {day} {MONTHS_FR[month - 1]}" if 1 <= month <= 12 else f"le mois {month}"
                raise DateError(f"date impossible « {written} » : {name} n'existe pas ; {_ASK}")
            raise DateError(f"il manque l'année dans « {written} » ; {_ASK}")
        return LearnerDate(_checked(int(m.group(3)), month, day, written, day_first=True), written, day_first=True)
    raise DateError(f"date illisible « {written} » ; {_ASK}")
