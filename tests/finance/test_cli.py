from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli import app

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")
runner = CliRunner()


def test_backtest_json() -> None:
    res = runner.invoke(
        app,
        ["backtest", "--ticker", "SPY", "--strategy", "sma-cross", "--fast", "20", "--slow", "50", "--json"],
    )
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["n_trades"] == 58 and s["source"] == "snapshot:sp500"
    assert s["sharpe"] == pytest.approx(0.174991, abs=1e-6)


def test_backtest_text_and_costs() -> None:
    res = runner.invoke(
        app,
        [
            "backtest",
            "--strategy",
            "rsi",
            "--window",
            "10",
            "--cost-bps",
            "0",
            "--start",
            "2008-01-01",
            "--end",
            "2012-12-31",
        ],
    )
    assert res.exit_code == 0, res.output
    assert (
        "Strategy rsi" in res.stdout
        and "2008-01-02 -> 2012-12-31" in res.stdout
        and "Buy and hold" in res.stdout
    )


def test_var_garch_json() -> None:
    res = runner.invoke(app, ["var", "--ticker", "SPY", "--level", "0.99", "--method", "garch", "--json"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["method"] == "garch" and s["var"] > 0 and s["backtest"]["n"] == 4030


def test_garch_json() -> None:
    res = runner.invoke(app, ["garch", "--ticker", "^GSPC", "--model", "egarch", "--dist", "skewt", "--json"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["model"] == "egarch" and s["converged"] and len(s["forecast_annual_pct"]) == 10


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["backtest", "--strategy", "turtle"], "Valid choices: 'buy-hold'"),
        (
            ["backtest", "--strategy", "momentum", "--fast", "5"],
            "Valid parameters: ['allow_short', 'lookback']",
        ),
        (["var", "--method", "delta", "--json"], "'historical', 'normal'"),
        (["var", "--level", "95"], "level must be in (0.5, 1)"),
        (["garch", "--model", "figarch"], "'garch', 'gjr', 'egarch'"),
        (["backtest", "--ticker", "NOPE"], "bundled snapshots"),
        (["var", "--start", "2030-01-01"], "choose start/end inside that range"),
    ],
)
def test_bad_input_exit_2_without_traceback(args: list[str], match: str) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert match in res.stderr and "Traceback" not in res.output
    assert res.stdout == ""
