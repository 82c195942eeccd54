"""DD/MM vs MM/DD (issue 15): a date the learner writes is read day first (French) and said, or refused with a
French message asking for YYYY-MM-DD; never read month first in silence. CLI options and the tutor's tools."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from agents.tools import Toolbox
from app.cli import app
from knowledge.config import get_settings

runner = CliRunner()
SAID = "lu comme le 3 avril 2015 (jour/mois/année, la convention française ; pour le 4 mars 2015, écrivez 2015-03-04)"
ASK = "écrivez la date au format YYYY-MM-DD (année-mois-jour), par exemple 2015-04-03 pour le 3 avril 2015"


def _run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def test_finance_start_is_read_day_first_and_said() -> None:
    code, out, err = _run("garch", "--start", "03/04/2015", "--json")
    assert code == 0 and err == f"Note : --start 03/04/2015 {SAID}\n"
    assert json.loads(out)["start"] == "2015-04-06"  # 3 April 2015 was Good Friday; 4 March would give 2015-03-04


def test_plan_tracker_and_log_dates_are_read_day_first_and_said() -> None:
    code, out, err = _run("plan", "--hours-per-week", "5", "--start", "03/04/2015", "--json")
    assert code == 0 and json.loads(out)["start"] == "2015-04-03" and f"--start 03/04/2015 {SAID}" in err
    code, out, err = _run("roadmap", "tracker", "--start-date", "03/04/2015", "--target-date", "2016-01-31", "--json")
    assert code == 0 and (json.loads(out)["start_date"], json.loads(out)["target_date"]) == ("2015-04-03", "2016-01-31")
    assert err == f"Note : --start-date 03/04/2015 {SAID}\n"  # nothing said of an ISO date
    code, out, _ = _run("roadmap", "log", "30", "--date", "25/12/2015")
    assert code == 0 and out == "Logged 30 min on 2015-12-25\n"


BAD_DATES = {
    "garch_start_april_31": (["garch", "--start", "31/04/2015"],
                             "--start : date impossible « 31/04/2015 » : le 31 avril 2015 n'existe pas (avril 2015 a "
                             "30 jours)"),
    "var_end_month_first": (["var", "--end", "12/25/2015"],
                            "--end : date impossible « 12/25/2015 » : 25 n'est pas un mois (1 à 12) ; vouliez-vous "
                            "dire le 25 décembre 2015 ?"),
    "backtest_start_words": (["backtest", "--start", "demain"], "--start : date illisible « demain »"),
    "plan_start_feb_30": (["plan", "--hours-per-week", "5", "--start", "2015-02-30"],
                          "--start : date impossible « 2015-02-30 » : le 30 février 2015 n'existe pas (février 2015 a "
                          "28 jours)"),
    "plan_until_no_year": (["plan", "--hours-per-week", "5", "--until", "03/04"],
                           "--until : il manque l'année dans « 03/04 »"),
    "tracker_target_april_31": (["roadmap", "tracker", "--target-date", "31/04"],
                                "--target-date : date impossible « 31/04 » : le 31 avril n'existe pas"),
}


@pytest.mark.parametrize("name", sorted(BAD_DATES))
def test_impossible_or_unreadable_dates_get_a_french_message(name: str) -> None:
    args, message = BAD_DATES[name]
    code, out, err = _run(*args)
    assert (code, out, err) == (2, "", f"Error: {message} ; {ASK}\n")


def test_the_garch_tool_reads_day_first_says_it_and_refuses_impossible_dates() -> None:
    tools = Toolbox(get_settings())
    result = tools.fit_garch(start="03/04/2015")
    assert result["start"] == "2015-04-06" and result["dates_read"] == [f"start 03/04/2015 {SAID}"]
    assert "dates_read" not in tools.fit_garch(start="2015-04-03")
    assert tools.fit_garch(end="31/04/2015") == {"error": "ToolArgumentError: end : date impossible « 31/04/2015 » : "
                                                          "le 31 avril 2015 n'existe pas (avril 2015 a 30 jours) ; "
                                                          + ASK}
