"""Worked figures with the learner's own numbers, added under the card that explains what they mean.

"mon alpha + beta garch = 0.999 c ok ?" finds the card on persistence; this adds the half-life of *that*
persistence. "0 breaches in 250 days at 99%" finds a Kupiec card; this adds the expected count and the test's
p-value for *those* numbers (:func:`finance.var_backtest.kupiec_pof`). "my daily sharpe is 0.1" or "vol mensuelle
de 4 %" get their annual figure (×√252, ×√12). Nothing is added unless every number is read without doubt.
"""

from __future__ import annotations

import math
import re

from finance.var_backtest import kupiec_pof
from knowledge.textio import fold

_NUM = r"(\d+(?:[.,]\d+)?)"
# between a name and its figure: a few words, then "=", "vaut", "is"… ("alpha + beta garch = 0.999", "sharpe
# journalier de 0,1", "vol is 4 %")
_IS = r"(?:\s+[a-z]+){0,3}?\s*(?:=|:|~|≈|vaut|est de|est a|de|of|is|at|a)?\s*"
_SUM = re.compile(r"(?:alpha|α)\s*\+\s*(?:beta|β)" + _IS + _NUM)
_PERSISTENCE = re.compile(r"persist[ae]nce" + _IS + _NUM)
_ALPHA = re.compile(r"(?:alpha|α)(?!\s*\+)" + _IS + _NUM)
_BETA = re.compile(r"(?<!\+ )(?:beta|β)" + _IS + _NUM)
_EXCEPTIONS = re.compile(r"\b(\d+)\s*(?:var\s+)?(?:exceptions?|breaches|breach|violations?|depassements?|exceedances?"
                         r"|hits)\b")
_RATE = re.compile(r"taux d'exceptions? (?:de |of )?" + _NUM + r"\s*%|exception rate (?:of )?" + _NUM + r"\s*%")
_DAYS = re.compile(r"\b(\d{2,5})\s*(?:jours|days|observations|obs|seances)\b")
_LEVEL = re.compile(r"\b(9\d(?:[.,]\d+)?)\s*%|\b0[.,](9\d*)\b")
_SHARPE = re.compile(r"sharpe" + _IS + r"(-?\d+(?:[.,]\d+)?)")
_VOL = re.compile(r"\bvol(?:atilite|atility)?" + _IS + _NUM + r"\s*%")
_PERIODS = ((re.compile(r"\b(?:daily|journali\w*|quotidien\w*|par jour|per day|a day)\b"), 252),
            (re.compile(r"\b(?:weekly|hebdo\w*|par semaine|per week)\b"), 52),
            (re.compile(r"\b(?:monthly|mensuel\w*|par mois|per month)\b"), 12))
# an annualised figure beyond these is not a per-period figure the learner gave, but an annual one read with the
# data's frequency ("Sharpe of 3.2 over 10 years of daily data" is not a daily Sharpe of 3.2, i.e. 50.8 a year)
_MOST_ANNUAL = {"sharpe": 10.0, "vol": 300.0}
_GARCH_CARDS = ("37-garch-", "37-ewma-vs-garch")
_SHARPE_CARDS = ("38-sharpe-ratio", "38-sharpe-3-too-good", "38-sharpe-vs-sortino")
_VOL_CARDS = ("11-why-sqrt-252-rolling-vol", "11-annualize-monthly-vol-sqrt12", "37-why-sqrt-252")
_KUPIEC_CARDS = ("37-kupiec-", "37-exception-rate-500-days", "37-var-backtest-type-errors")
TITLE = {"fr": "Avec tes chiffres", "en": "With your numbers"}


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _fmt(x: float, lang: str, digits: int = 3) -> str:
    s = f"{x:.{digits}g}" if abs(x) < 1e4 else f"{x:,.0f}"
    return s.replace(".", ",") if lang == "fr" else s


def persistence_of(text: str) -> float | None:
    """α + β as the learner gave it (the sum, or both coefficients), or None."""
    low = fold(text)
    for pattern in (_SUM, _PERSISTENCE):
        m = pattern.search(low)
        if m:
            return _number(m.group(1))
    a, b = _ALPHA.search(low), _BETA.search(low)
    if a and b:
        return _number(a.group(1)) + _number(b.group(1))
    return None


def garch_figures(persistence: float, lang: str) -> str:
    """The half-life of a shock for this persistence, and what the value says."""
    p = _fmt(persistence, lang, 4)
    if persistence >= 1:
        return (f"α + β = {p} ≥ 1 : le modèle n'est pas stationnaire, la variance de long terme ω/(1 − α − β) "
                "n'existe pas et un choc ne s'efface jamais (IGARCH si = 1)." if lang == "fr" else
                f"α + β = {p} ≥ 1: the model is not stationary, the long-run variance ω/(1 − α − β) does not "
                "exist and a shock never fades (IGARCH if = 1).")
    if persistence <= 0:
        return ""
    half = math.log(0.5) / math.log(persistence)
    h = _fmt(half, lang)
    if persistence >= 0.99:
        verdict = ("très persistant, proche de l'IGARCH : vérifie qu'un changement de régime dans l'échantillon "
                   "ne gonfle pas cette valeur" if lang == "fr" else
                   "very persistent, close to IGARCH: check that a regime change in the sample is not inflating it")
    elif persistence >= 0.9:
        verdict = ("typique de rendements journaliers d'actions" if lang == "fr" else
                   "typical of daily equity returns")
    else:
        verdict = ("faible pour des rendements journaliers d'actions (souvent 0,97–0,99) : la volatilité revient "
                   "très vite à son niveau de long terme" if lang == "fr" else
                   "low for daily equity returns (often 0.97–0.99): volatility returns very quickly to its "
                   "long-run level")
    if lang == "fr":
        return f"α + β = {p} : demi-vie d'un choc ln 0,5 / ln {p} ≈ {h} jours ; {verdict}."
    return f"α + β = {p}: a shock's half-life is ln 0.5 / ln {p} ≈ {h} days; {verdict}."


def backtest_numbers(text: str) -> tuple[int, int, float] | None:
    """(exceptions, days, VaR level) when all three are in the text, else None."""
    low = fold(text)
    x, rate, n, lv = _EXCEPTIONS.search(low), _RATE.search(low), _DAYS.search(low), _LEVEL.search(low)
    if not ((x or rate) and n and lv):
        return None
    level = _number(lv.group(1)) / 100 if lv.group(1) else _number("0." + lv.group(2))
    days = int(n.group(1))
    if x:
        exceptions = int(x.group(1))
    else:
        assert rate is not None
        exceptions = round(_number(rate.group(1) or rate.group(2)) / 100 * days)
    if not 0.5 < level < 1 or exceptions > days:
        return None
    return exceptions, days, level


def kupiec_figures(exceptions: int, days: int, level: float, lang: str) -> str:
    """Expected exceptions and Kupiec's p-value for the learner's backtest."""
    expected = days * (1 - level)
    p_value = kupiec_pof(exceptions, days, level)["p_value"]
    lv = _fmt(100 * level, lang)
    e, pv = _fmt(expected, lang), _fmt(p_value, lang, 2)
    too_many = exceptions > expected
    if lang == "fr":
        verdict = "rien ne permet de rejeter la VaR au seuil de 5 %"
        if p_value < 0.05:
            verdict = ("on rejette la VaR au seuil de 5 % : " + ("trop d'exceptions, elle sous-estime le risque"
                       if too_many else "trop peu d'exceptions, elle est trop prudente"))
        return (f"{exceptions} exceptions en {days} jours pour une VaR à {lv} % : on en attendait {e} ; "
                f"test de Kupiec, p = {pv} : {verdict}.")
    verdict = "nothing rejects the VaR at 5 %"
    if p_value < 0.05:
        verdict = "the VaR is rejected at 5 %: " + ("too many exceptions, it underestimates the risk" if too_many
                                                    else "too few exceptions, it is too conservative")
    return (f"{exceptions} exceptions in {days} days for a {lv} % VaR: {e} were expected; Kupiec's test gives "
            f"p = {pv}: {verdict}.")


def annualised(text: str, pattern: re.Pattern[str]) -> tuple[float, int] | None:
    """(the figure, periods per year) when the text gives a figure and exactly one frequency, else None."""
    low = fold(text)
    m = pattern.search(low)
    periods = [n for rx, n in _PERIODS if rx.search(low)]
    if not m or len(periods) != 1:
        return None
    return _number(m.group(1)), periods[0]


def annual_figures(value: float, periods: int, what: str, lang: str) -> str:
    """A Sharpe ratio or a volatility (in %) at another frequency, scaled to a year by √periods."""
    yearly = value * math.sqrt(periods)
    v, y = _fmt(value, lang), _fmt(yearly, lang)
    unit = " %" if what == "vol" else ""
    if lang == "fr":
        name, done = ("volatilité", "annualisée") if what == "vol" else ("Sharpe", "annualisé")
        return (f"{name} de {v}{unit} sur {periods} périodes par an → {done} : {v}{unit} × √{periods} ≈ {y}{unit} "
                "(rendements indépendants d'une période à l'autre supposés).")
    name = "volatility" if what == "vol" else "Sharpe ratio"
    return (f"a {name} of {v}{unit} with {periods} periods a year → annualised: {v}{unit} × √{periods} ≈ {y}{unit} "
            "(assuming returns independent from one period to the next).")


def worked_figures(card_id: str, text: str, lang: str) -> str | None:
    """A short paragraph computing what the learner's numbers mean under this card, or None."""
    line = ""
    if card_id.startswith(_GARCH_CARDS):
        persistence = persistence_of(text)
        line = garch_figures(persistence, lang) if persistence is not None else ""
    elif card_id.startswith(_KUPIEC_CARDS):
        numbers = backtest_numbers(text)
        line = kupiec_figures(*numbers, lang) if numbers else ""
    elif card_id in _SHARPE_CARDS or card_id in _VOL_CARDS:
        what = "sharpe" if card_id in _SHARPE_CARDS else "vol"
        found = annualised(text, _SHARPE if what == "sharpe" else _VOL)
        if found and abs(found[0]) * math.sqrt(found[1]) > _MOST_ANNUAL[what]:
            found = None  # "a Sharpe of 3.2 over 10 years of daily data": the figure is already annual
        line = annual_figures(*found, what, lang) if found else ""
    if not line:
        return None
    return f"**{TITLE['fr']} :** {line}" if lang == "fr" else f"**{TITLE['en']}:** {line}"
