"""One plain sentence for each figure of a tool's result that a learner cannot read alone, with the card that
explains it ("Kupiec p = 0.0003 and a red zone: the model under-estimates the risk → card 37-kupiec-p-value-0003").

Only figures the result holds are read; the sentences say what a value means, never a new number.
"""

from __future__ import annotations

from typing import Any

Note = tuple[str, str]  # (sentence, card id)


def _var_notes(r: dict[str, Any], fr: bool) -> list[Note]:
    bt = r.get("backtest") or {}
    notes: list[Note] = []
    p, zone = bt.get("kupiec_p"), str(bt.get("basel_zone", ""))
    if p is not None and p < 0.05:
        under = bt.get("n_exceed", 0) > bt.get("expected", 0)
        notes.append((("Kupiec rejette le modèle : il y a trop de dépassements, la VaR sous-estime le risque."
                       if under else "Kupiec rejette le modèle : trop peu de dépassements, la VaR est trop prudente.")
                      if fr else
                      ("Kupiec rejects the model: too many exceedances, the VaR under-estimates the risk." if under
                       else "Kupiec rejects the model: too few exceedances, the VaR is too conservative."),
                      "37-kupiec-p-value-0003"))
    elif p is not None:
        notes.append(("Kupiec ne rejette pas le modèle : le nombre de dépassements est compatible avec le niveau."
                      if fr else "Kupiec does not reject the model: the number of exceedances fits the level.",
                      "37-kupiec-pof-test"))
    if zone.lower() in ("red", "rouge", "yellow", "jaune"):
        notes.append(("Zone de Bâle " + ("rouge : le régulateur jugerait ce modèle défaillant." if zone.lower() in
                                         ("red", "rouge") else "jaune : des doutes, à surveiller.")
                      if fr else f"Basel {zone} zone: " + ("the regulator would judge this model faulty." if
                                                           zone.lower() == "red" else "doubts, to be watched."),
                      "37-basel-traffic-light"))
    notes.append(("L'Expected Shortfall est la perte moyenne au-delà de la VaR : il dit combien on perd les mauvais "
                  "jours, pas seulement à partir de quand." if fr else
                  "Expected Shortfall is the average loss beyond the VaR: how much the bad days cost, not only "
                  "where they start.", "37-var-vs-es"))
    return notes


def _garch_notes(r: dict[str, Any], fr: bool) -> list[Note]:
    persistence = r.get("persistence")
    notes: list[Note] = []
    if persistence is not None and persistence >= 0.95:
        notes.append(("Persistance proche de 1 : un choc de volatilité s'efface lentement (voir la demi-vie)."
                      if fr else "Persistence close to 1: a volatility shock fades slowly (see the half-life).",
                      "37-garch-beta-097"))
    if r.get("model") == "gjr":
        notes.append(("Un gamma positif dans le GJR veut dire que les baisses font monter la volatilité plus que les "
                      "hausses (effet de levier)." if fr else "A positive gamma in the GJR means falls raise "
                      "volatility more than rises (leverage effect).", "37-garch-vs-gjr"))
    return notes


def _backtest_notes(r: dict[str, Any], fr: bool) -> list[Note]:
    sharpe = r.get("sharpe")
    notes: list[Note] = []
    if sharpe is not None and sharpe > 1.5:
        notes.append(("Un Sharpe aussi élevé sur un backtest est suspect : plus on a essayé de variantes, plus il "
                      "faut le dégonfler (Sharpe déflaté)." if fr else "A Sharpe this high in a backtest is "
                      "suspicious: the more variants tried, the more it must be deflated.",
                      "38-sharpe-21-after-200-trials"))
    if r.get("max_drawdown_pct") is not None:
        notes.append(("Le drawdown max est la pire chute depuis un sommet : la douleur qu'il aurait fallu supporter."
                      if fr else "Max drawdown is the worst fall from a peak: the pain you would have had to sit "
                      "through.", "11-max-drawdown"))
    return notes


def notes_for(tool: str, result: dict[str, Any], lang: str) -> list[Note]:
    """The teaching sentences for ``result`` of ``tool`` (empty for errors and tools that need none)."""
    if "error" in result:
        return []
    fr = lang != "en"
    match tool:
        case "value_at_risk":
            return _var_notes(result, fr)
        case "fit_garch":
            return _garch_notes(result, fr)
        case "backtest_strategy":
            return _backtest_notes(result, fr)
    return []


def render_notes(notes: list[Note], lang: str, titles: dict[str, str]) -> str:
    """The notes as a short list, each with the card to ask about ("« Que veut dire un p de Kupiec de 0,0003 ? »")."""
    if not notes:
        return ""
    head = "**Pour lire ces chiffres**" if lang != "en" else "**Reading these figures**"
    ask = "demande-moi" if lang != "en" else "ask me"
    lines = [head]
    for sentence, card in notes:
        title = titles.get(card)
        lines.append(f"- {sentence}" + (f" ({ask} : « {title} »)" if title else ""))
    return "\n".join(lines)
