"""Dates written by the learner: ISO, or French day first and said; never read month first in silence."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.dates import french_date, parse_learner_date
from knowledge.errors import DateError

ASK = "écrivez la date au format YYYY-MM-DD (année-mois-jour), par exemple 2015-04-03 pour le 3 avril 2015"


@pytest.mark.parametrize(("written", "expected", "day_first", "ambiguous"), [
    ("2015-04-03", date(2015, 4, 3), False, False),
    ("2015-4-3", date(2015, 4, 3), False, False),
    ("2015/04/03", date(2015, 4, 3), False, False),
    ("03/04/2015", date(2015, 4, 3), True, True),
    ("03.04.2015", date(2015, 4, 3), True, True),
    ("03-04-2015", date(2015, 4, 3), True, True),
    ("1/5/2020", date(2020, 5, 1), True, True),
    ("25/12/2015", date(2015, 12, 25), True, False),
    ("04/04/2015", date(2015, 4, 4), True, False),
    (" 29/02/2016 ", date(2016, 2, 29), True, False),
])
def test_dates_are_read_iso_or_day_first(written: str, expected: date, day_first: bool, ambiguous: bool) -> None:
    read = parse_learner_date(written)
    assert (read.value, read.day_first, read.ambiguous) == (expected, day_first, ambiguous)


def test_what_was_read_is_said() -> None:
    assert parse_learner_date("2015-04-03").note("--start") is None
    assert parse_learner_date("03/04/2015").note("--start") == (
        "--start 03/04/2015 lu comme le 3 avril 2015 (jour/mois/année, la convention française ; "
        "pour le 4 mars 2015, écrivez 2015-03-04)")
    assert parse_learner_date("25/12/2015").note() == (
        "la date 25/12/2015 lu comme le 25 décembre 2015 (jour/mois/année, la convention française)")
    assert french_date(date(2020, 5, 1)) == "1er mai 2020"


@pytest.mark.parametrize(("written", "message"), [
    ("2015-02-30", "date impossible « 2015-02-30 » : le 30 février 2015 n'existe pas (février 2015 a 28 jours)"),
    ("31/04/2015", "date impossible « 31/04/2015 » : le 31 avril 2015 n'existe pas (avril 2015 a 30 jours)"),
    ("29/02/2015", "date impossible « 29/02/2015 » : le 29 février 2015 n'existe pas (février 2015 a 28 jours)"),
    ("31/04", "date impossible « 31/04 » : le 31 avril n'existe pas"),
    ("12/25/2015", "date impossible « 12/25/2015 » : 25 n'est pas un mois (1 à 12) ; vouliez-vous dire le "
                   "25 décembre 2015 ?"),
    ("13/13/2015", "date impossible « 13/13/2015 » : 13 n'est pas un mois (1 à 12)"),
    ("2015-13-01", "date impossible « 2015-13-01 » : 13 n'est pas un mois (1 à 12)"),
    ("03/04", "il manque l'année dans « 03/04 »"),
    ("demain", "date illisible « demain »"),
    ("03/04/15", "date illisible « 03/04/15 »"),
    ("  ", "la date est vide"),
])
def test_impossible_or_unreadable_dates_are_refused_in_french(written: str, message: str) -> None:
    with pytest.raises(DateError) as info:
        parse_learner_date(written)
    assert str(info.value) == f"{message} ; {ASK}"
