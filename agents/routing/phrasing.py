"""Deterministic phrasing of tool results, in French or English.

Every figure comes from the tool result of the turn: these templates are what the router mode says, and the
reference a model's own phrasing is checked against.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from agents.results import RoadmapProgressResult, StudyPlanResult
from finance.results import BacktestSummary, GarchSummary, VaRSummary


def _pct(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f} %"


def _num(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


_SOURCES_FR = {"sp500": "l'indice S&P 500 quotidien", "nasdaq": "l'indice NASDAQ Composite quotidien",
               "wti": "le prix spot du pétrole WTI"}
_PROXIES_FR = {"SPY": "SPY est représenté par l'indice S&P 500 lui-même (sans frais ni dividendes).",
               "QQQ": "QQQ est représenté par l'indice NASDAQ Composite (QQQ suit le NASDAQ-100).",
               "CL=F": "CL=F (contrat à terme) est représenté par le prix spot du WTI."}
_NO_DATA = re.compile(r"No offline data for ticker '([^']+)'")


def note(r: dict[str, Any], lang: str) -> str:
    """Where the prices come from, in the learner's language (the data layer writes it in English)."""
    if lang != "fr":
        return str(r.get("note", ""))
    source, ticker = str(r.get("source", "")), str(r.get("ticker", "")).upper()
    if source.startswith("snapshot:"):
        what = _SOURCES_FR.get(source.split(":", 1)[1], source.split(":", 1)[1])
        return f"Données hors ligne : {what}, {r.get('start')} – {r.get('end')}. {_PROXIES_FR.get(ticker, '')}".strip()
    return {"cache": f"Prix en cache pour {ticker} (sans réseau).", "yfinance": f"Données Yahoo Finance pour {ticker}.",
            "file": f"Ton fichier {r.get('ticker', '')}."}.get(source, str(r.get("note", "")))


def _error(tool: str, error: str, lang: str) -> str:
    missing = _NO_DATA.search(error)
    if missing:
        return (f"Je n'ai pas de données hors ligne pour **{missing.group(1)}** : sans internet, je peux utiliser le "
                "S&P 500 (SPY), le Nasdaq (QQQ) et le pétrole WTI (WTI), ou un fichier de prix que tu joins (CSV "
                "avec une colonne de dates et une colonne « close »)." if lang == "fr" else
                f"I have no offline data for **{missing.group(1)}**: without internet I can use the S&P 500 (SPY), "
                "the Nasdaq (QQQ) and WTI oil (WTI), or a price file you attach (CSV with dates and a 'close' "
                "column).")
    fr = _french_error(error) if lang == "fr" else None
    if fr is not None:
        return fr
    plain = re.sub(r"^\w+(?:Error|Exception): ", "", error)
    return (f"Je n'ai pas pu faire ce calcul : {plain}" if lang == "fr" else f"I could not run `{tool}`: {plain}")


_FRENCH_ERRORS: list[tuple[str, str]] = [
    (r"level must be in \(0\.5, 1\).*got ([\d.]+)",
     "Le niveau de confiance doit être entre 50 % et 99,9 % (par ex. « à 99 % ») ; j'ai lu {0}."),
    (r"start date (\S+) must come before the end date (\S+)",
     "La date de début ({0}) doit précéder la date de fin ({1}) : inverse-les."),
    (r"has data from (\S+) to (\S+) only",
     "Les données disponibles vont du {0} au {1} seulement : choisis des dates dans cette période."),
    (r"hours_per_week must be between ([\d.]+) and ([\d.]+), got ([\d.]+)",
     "Il me faut entre {0} et {1} heures d'étude par semaine ; j'ai lu {2}."),
    (r"dates must look like 2024-01-31, got '([^']*)'",
     "Je n'ai pas compris la date « {0} » : écris-la AAAA-MM-JJ (par ex. 2015-04-03)."),
    (r"unknown model '([^']*)'", "Je ne connais pas le modèle « {0} » : choisis linear, logistic, mlp, cnn, rnn, lstm, "
                                 "gru, gpt, word2vec, autoencoder, vae ou seq2seq."),
    (r"epochs must be between 1 and 200, got (\S+)", "Le nombre d'époques doit être entre 1 et 200 ; j'ai lu {0}."),
    (r"a comparison needs 2 to 4 (\w+)", "Une comparaison porte sur 2 à 4 modèles ou méthodes."),
]


def _french_error(error: str) -> str | None:
    """A tool's error (written in English by the libraries) said in French, when it is one we know."""
    for pattern, text in _FRENCH_ERRORS:
        m = re.search(pattern, error)
        if m:
            return text.format(*m.groups())
    return None


def phrase(tool: str, result: dict[str, Any], lang: str) -> str:
    """A short, complete answer for a tool result (or its error)."""
    if "error" in result:
        return _error(tool, str(result["error"]), lang)
    read = " ".join(str(n) for n in result.get("dates_read", []))
    if read:
        return f"{_phrase_ok(tool, result, lang)}\n\n_{read}_"
    return _phrase_ok(tool, result, lang)


def _phrase_ok(tool: str, result: dict[str, Any], lang: str) -> str:
    if "comparison" in result:
        return _comparison(result, lang)
    match tool:  # each tool's result has its typed contract (finance.results, agents.results)
        case "backtest_strategy":
            return _backtest(cast(BacktestSummary, result), lang)
        case "value_at_risk":
            return _var(cast(VaRSummary, result), lang)
        case "fit_garch":
            return _garch(cast(GarchSummary, result), lang)
        case "study_plan":
            return _plan(cast(StudyPlanResult, result), lang)
        case "roadmap_progress":
            return _roadmap(cast(RoadmapProgressResult, result), lang)
    fn = _PHRASERS.get(tool)
    return fn(result, lang) if fn else str(result)


def _backtest(r: BacktestSummary, lang: str) -> str:
    p = ", ".join(f"{k}={v}" for k, v in r.get("params", {}).items() if k != "allow_short")
    bh = r.get("buy_hold", {})
    bh_cagr = bh.get("cagr")
    bh_cagr_pct = 100 * bh_cagr if bh_cagr is not None else None
    if lang == "fr":
        return (
            f"Backtest **{r['strategy']}** ({p}) sur {r['ticker']} du {r['start']} au {r['end']}, coûts "
            f"{_num(r['cost_bps'], 1)} pb : Sharpe **{_num(r['sharpe'])}**, CAGR **{_pct(r['cagr_pct'])}**, "
            f"drawdown max **{_pct(r['max_drawdown_pct'])}**, **{r['n_trades']}** transactions. "
            f"Achat-conservation sur la même période : Sharpe {_num(bh.get('sharpe'))}, CAGR "
            f"{_pct(bh_cagr_pct)}. "
            f"Signal à la clôture du jour t, position tenue à partir de t+1 (pas de look-ahead). {note(dict(r), lang)}"
        )
    return (
        f"Backtest of **{r['strategy']}** ({p}) on {r['ticker']} from {r['start']} to {r['end']}, costs "
        f"{_num(r['cost_bps'], 1)} bps: Sharpe **{_num(r['sharpe'])}**, CAGR **{_pct(r['cagr_pct'])}**, "
        f"max drawdown **{_pct(r['max_drawdown_pct'])}**, **{r['n_trades']}** trades. Buy and hold over the "
        f"same period: Sharpe {_num(bh.get('sharpe'))}, CAGR "
        f"{_pct(bh_cagr_pct)}. Signal at the close of day t, "
        f"position from t+1 (no look-ahead). {note(dict(r), lang)}"
    )


def _var(r: VaRSummary, lang: str) -> str:
    lvl = f"{100 * r['level']:g}"
    bt = r.get("backtest")
    if lang == "fr":
        text = (
            f"VaR à {lvl} % sur {r['horizon_days']} jour(s) de {r['ticker']} (méthode {r['method']}, fenêtre "
            f"{r['window']} jours, au {r['as_of']}) : **{_pct(r['var_pct'])}** de la valeur de la position ; "
            f"Expected Shortfall : **{_pct(r['es_pct'])}**."
        )
        if bt:
            text += (
                f" Backtest glissant ({bt['n']} jours) : {bt['n_exceed']} dépassements pour "
                f"{_num(bt['expected'], 1)} attendus ; Kupiec p = {_num(bt['kupiec_p'], 4)}, Christoffersen "
                f"(couverture conditionnelle) p = {_num(bt['christoffersen_cc_p'], 4)} ; zone de Bâle : "
                f"{_zone(bt['basel_zone'], lang)}."
            )
        return text + f" {note(dict(r), lang)}"
    text = (
        f"{lvl}% {r['horizon_days']}-day VaR of {r['ticker']} ({r['method']} method, {r['window']}-day window, "
        f"as of {r['as_of']}): **{_pct(r['var_pct'])}** of the position value; Expected Shortfall: "
        f"**{_pct(r['es_pct'])}**."
    )
    if bt:
        text += (
            f" Rolling backtest ({bt['n']} days): {bt['n_exceed']} exceedances for {_num(bt['expected'], 1)} "
            f"expected; Kupiec p = {_num(bt['kupiec_p'], 4)}, Christoffersen (conditional coverage) p = "
            f"{_num(bt['christoffersen_cc_p'], 4)}; Basel zone: {bt['basel_zone']}."
        )
    return text + f" {note(dict(r), lang)}"


ZONES = {"fr": {"green": "verte", "yellow": "jaune", "red": "rouge"}}


def _zone(zone: Any, lang: str) -> str:
    return ZONES.get(lang, {}).get(str(zone), str(zone))


def _comparison(r: dict[str, Any], lang: str) -> str:
    """GARCH models or VaR methods side by side on the same data, as a table, and which one the data prefer."""
    fr = lang == "fr"
    runs = r["comparison"]
    if r.get("kind") == "garch":
        head = ("| modèle | log-vraisemblance | AIC | BIC | persistance | vol. actuelle |" if fr else
                "| model | log-likelihood | AIC | BIC | persistence | current vol. |")
        rows = [f"| {g['model']} | {_num(g['loglikelihood'], 1)} | {_num(g['aic'], 1)} | {_num(g['bic'], 1)} | "
                f"{_num(g['persistence'], 4)} | {_pct(g['last_volatility_annual_pct'])} |" for g in runs]
        best = min(runs, key=lambda g: g["bic"])
        intro = (f"Comparaison sur {r['ticker']} du {runs[0]['start']} au {runs[0]['end']} (mêmes données) :" if fr
                 else f"Comparison on {r['ticker']} from {runs[0]['start']} to {runs[0]['end']} (same data):")
        verdict = (f"Le BIC le plus bas est celui du **{best['model']}** : c'est le modèle que les données préfèrent "
                   "une fois sa complexité pénalisée." if fr else f"The lowest BIC is the **{best['model']}**'s: the "
                   "model the data prefer once its complexity is penalised.")
    else:
        head = ("| méthode | VaR | ES | dépassements / attendus | Kupiec p | zone |" if fr else
                "| method | VaR | ES | exceedances / expected | Kupiec p | zone |")
        rows = []
        for v in runs:
            bt = v.get("backtest") or {}
            rows.append(f"| {v['method']} | {_pct(v['var_pct'])} | {_pct(v['es_pct'])} | "
                        f"{bt.get('n_exceed', 'n/a')} / {_num(bt.get('expected'), 1)} | {_num(bt.get('kupiec_p'), 4)} "
                        f"| {_zone(bt.get('basel_zone', 'n/a'), lang)} |")
        lvl = f"{100 * runs[0]['level']:g}"
        intro = (f"VaR à {lvl} % de {r['ticker']}, méthodes comparées sur les mêmes données :" if fr else
                 f"{lvl}% VaR of {r['ticker']}, methods compared on the same data:")
        verdict = ("La méthode à garder est celle dont le backtest passe (Kupiec ne la rejette pas, zone verte) avec "
                   "la VaR la moins coûteuse." if fr else "Keep the method whose backtest passes (Kupiec does not "
                   "reject it, green zone) with the least costly VaR.")
    sep = "|" + "---|" * (head.count("|") - 1)
    return "\n".join([intro, "", head, sep, *rows, "", verdict])


def _garch(r: GarchSummary, lang: str) -> str:
    p = r.get("params", {})
    params = ", ".join(f"{k} = {v:.4f}" for k, v in p.items())
    fc = r.get("forecast_annual_pct") or []
    if lang == "fr":
        return (
            f"Modèle **{r['model']}** (erreurs {r['dist']}) ajusté sur {r['ticker']} du {r['start']} au {r['end']} "
            f"({r['n_days']} jours) : {params}. Persistance **{_num(r['persistence'], 4)}** (demi-vie "
            f"{_num(r.get('half_life_days'), 1)} jours), AIC {_num(r['aic'], 1)}, BIC {_num(r['bic'], 1)}. "
            f"Volatilité conditionnelle actuelle **{_pct(r['last_volatility_annual_pct'])}** par an "
            f"(EWMA {_pct(r['ewma_volatility_annual_pct'])}), prévision à {r['forecast_horizon_days']} jours "
            f"{_pct(fc[-1] if fc else None)}. {note(dict(r), lang)}"
        )
    return (
        f"**{r['model']}** model ({r['dist']} errors) fitted on {r['ticker']} from {r['start']} to {r['end']} "
        f"({r['n_days']} days): {params}. Persistence **{_num(r['persistence'], 4)}** (half-life "
        f"{_num(r.get('half_life_days'), 1)} days), AIC {_num(r['aic'], 1)}, BIC {_num(r['bic'], 1)}. Current "
        f"conditional volatility **{_pct(r['last_volatility_annual_pct'])}** a year (EWMA "
        f"{_pct(r['ewma_volatility_annual_pct'])}), {r['forecast_horizon_days']}-day forecast "
        f"{_pct(fc[-1] if fc else None)}. {note(dict(r), lang)}"
    )


def first_failure(r: dict[str, Any], lang: str) -> str:
    """The first failing test as the learner can act on it: what it checks, its input, expected and got."""
    failed = next((t for t in r.get("tests", []) if not t.get("passed")), None)
    if failed is None:
        return ""
    fr = lang != "en"
    parts = [f"**{'Premier test qui échoue' if fr else 'First failing test'}** : `{failed['name']}`"
             + (f" — {failed['description']}" if failed.get("description") else "")]
    for key, label in (("input", "entrée" if fr else "input"), ("expected", "attendu" if fr else "expected"),
                       ("got", "obtenu" if fr else "got")):
        if failed.get(key) not in (None, ""):
            parts.append(f"- {label} : `{failed[key]}`")
    if failed.get("line"):
        parts.append(f"- {'ligne' if fr else 'line'} {failed['line']}")
    return "\n".join(parts)


def _check(r: dict[str, Any], lang: str) -> str:
    lines = [r.get("summary", "")]
    for t in r.get("tests", []):
        mark = "✅" if t["passed"] else "❌"
        detail = "" if t["passed"] else f" — {t.get('message', '')}"
        lines.append(f"- {mark} `{t['name']}`{detail}")
    if not r.get("passed"):
        lines.append(first_failure(r, lang))
    if r.get("passed") and r.get("offer"):
        lines.append(r["offer"])
    elif r.get("hint"):
        lines.append(r["hint"])
    return "\n".join(x for x in lines if x)


def _run(r: dict[str, Any], lang: str) -> str:
    out = (r.get("stdout") or "").rstrip()
    exc = r.get("exception")
    head = {"fr": "Exécution terminée", "en": "Run finished"}[lang] + f" ({r['reason']}, {_num(r['seconds'], 2)} s)."
    parts = [head]
    if out:
        parts.append(f"```text\n{out[-2000:]}\n```")
    if exc:
        parts.append(f"{exc.get('type')}: {exc.get('message')}")
    elif r.get("reason") != "ok" and r.get("stderr"):
        parts.append(f"```text\n{r['stderr'][-800:]}\n```")
    return "\n\n".join(parts)


def _model_lab(r: dict[str, Any], lang: str) -> str:
    hist = r.get("history") or []
    last = hist[-1] if hist else {}
    first = hist[0] if hist else {}
    acc = r.get("test_accuracy")
    fr = lang == "fr"
    text = (f"Modèle **{r['model']}** entraîné sur **{r['dataset']}** pendant {r['epochs']} époques "
            f"({_num(r.get('seconds'), 1)} s) : perte {_num(first.get('loss'), 4)} → **{_num(last.get('loss'), 4)}**"
            if fr else
            f"Model **{r['model']}** trained on **{r['dataset']}** for {r['epochs']} epochs "
            f"({_num(r.get('seconds'), 1)} s): loss {_num(first.get('loss'), 4)} → **{_num(last.get('loss'), 4)}**")
    if acc is not None:
        text += (f", exactitude sur le test **{_pct(100 * acc)}**" if fr else f", test accuracy **{_pct(100 * acc)}**")
    text += "."
    samples = r.get("samples") or []
    if samples:
        text += ("\n\nÉchantillon généré :" if fr else "\n\nGenerated sample:") + f"\n```text\n{samples[0][:400]}\n```"
    return text


def _plan(r: StudyPlanResult, lang: str) -> str:
    fr = lang == "fr"
    weeks = r.get("weeks", [])
    head = (f"Plan à **{_num(r['hours_per_week'], 1)} h/semaine** à partir du {r['start']} : "
            f"{_num(r['total_hours'], 1)} h de travail restantes, fin prévue le {r['end']}."
            if fr else
            f"Plan at **{_num(r['hours_per_week'], 1)} h/week** from {r['start']}: {_num(r['total_hours'], 1)} h of "
            f"work left, expected end {r['end']}.")
    lines = [head]
    if r.get("message"):
        message = re.sub(r"\s*\(--pace [^)]*\)", "", r["message"]).replace(
            "réduis le périmètre avec --focus", "réduis le périmètre (une phase à la fois)")
        lines.append(f"⚠️ {message}")
    if r.get("left_out"):
        fits = ", ".join(r.get("fits", [])) or ("aucun" if fr else "none")
        lines.append(f"D'ici le {r['deadline']}, tu peux finir les chapitres {fits} ; il faudra laisser pour après "
                     f"les chapitres {', '.join(r['left_out'])}." if fr else
                     f"By {r['deadline']} you can finish chapters {fits}; chapters {', '.join(r['left_out'])} "
                     "will have to wait.")
    for w in weeks[:4]:
        chapters = ", ".join(w.get("chapters", []))
        lines.append(
            f"- {'Semaine' if fr else 'Week'} {w['week']} ({w['start']}) : {_num(w['hours'], 1)} h "
            f"({'théorie' if fr else 'theory'} {_num(w['theory_hours'], 1)} h, {'pratique' if fr else 'practice'} "
            f"{_num(w['practice_hours'], 1)} h) — {'chapitres' if fr else 'chapters'} {chapters}"
        )
    return "\n".join(lines)


def _roadmap(r: RoadmapProgressResult, lang: str) -> str:
    fr = lang == "fr"
    lines = []
    item = r.get("item")
    if item:
        verb = ("coché" if item["checked"] else "décoché") if fr else ("checked" if item["checked"] else "unchecked")
        lines.append(f"{item['id']} « {item['text']} » : {verb}.")
    lines.append(
        f"Progression : **{r['done']}/{r['total']}** éléments ({_num(r['percent'], 1)} %), projets "
        f"{r['projects_done']}/{r['projects_total']}." if fr else
        f"Progress: **{r['done']}/{r['total']}** items ({_num(r['percent'], 1)} %), projects "
        f"{r['projects_done']}/{r['projects_total']}."
    )
    if r["action"] == "show":
        for p in r["phases"]:
            lines.append(f"- Phase {p['phase']} — {p['title']} : {p['done']}/{p['total']}")
    nxt = r.get("next") or []
    if nxt:
        lines.append("\n**Prochaines étapes :**" if fr else "\n**Next steps:**")  # a blank line ends the list above
        lines.extend(f"- {n['id']} — {n['text']}" for n in nxt)
    if r.get("advice"):
        lines.append(f"⚠️ {r['advice']}")
    week = r.get("this_week")
    if week:
        chapters = ", ".join(week.get("chapters", []))
        lines.append(
            f"Cette semaine à {_num(week['hours_per_week'], 0)} h : {_num(week['hours'], 1)} h sur les chapitres "
            f"{chapters} (théorie {_num(week['theory_hours'], 1)} h, pratique {_num(week['practice_hours'], 1)} h)."
            if fr else
            f"This week at {_num(week['hours_per_week'], 0)} h: {_num(week['hours'], 1)} h on chapters {chapters} "
            f"(theory {_num(week['theory_hours'], 1)} h, practice {_num(week['practice_hours'], 1)} h)."
        )
    return "\n".join(lines)


def _search(r: dict[str, Any], lang: str) -> str:
    ps = r.get("passages", [])
    if not ps:
        return "Aucun passage trouvé." if lang == "fr" else "No passage found."
    return "\n".join(f"[{p['n']}] {p['heading']}" for p in ps)


_PHRASERS: dict[str, Callable[[dict[str, Any], str], str]] = {
    "check_exercise": _check, "run_python": _run, "model_lab": _model_lab, "search_course": _search,
}
