"""Intent routing for models that cannot choose tools (the embedded 135M model: 0 of 5 right, measured).

Rules over the accent-folded request give each tool a score (an action cue plus its topic words); a concept
question without figures, ticker or code ("Qu'est-ce que la VaR ?") goes to the course. When no rule fires,
the request is compared with the tools' descriptions and example requests by embedding similarity. Arguments
are then extracted with :mod:`agents.routing.extract`; the model only phrases the outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from agents.routing import extract as ex
from agents.routing.extract import fold
from knowledge.retrieval import tokenize as ex_tokens

Intent = str  # a tool name, or "hint" / "solution"

_EXPLAIN = re.compile(
    r"qu'?est[- ]ce qu|c'?est quoi|explique|expliquer|explain|definition|defini|define|comment (?:fonctionne|marche"
    r"|calcule-t-on|on calcule)|how (?:does|do|is|are|to compute)|what (?:is|are|does)|why (?:is|does|do)|pourquoi"
    r"|difference entre|difference between|a quoi sert|intuition|rappelle|remind me|resume|summar|parle-moi"
    r"|tell me about"
)
_ACTION = re.compile(
    r"backtest|calcule|calculer|compute|estime|estimer|estimate|donne[- ]moi|give me|montre|show me|lance|run\b"
    r"|execute|simule|simulate|teste\b|fit\b|ajuste|entraine|train|quelle? est (?:la|le) (?:var|vol|sharpe)"
    r"|what(?:'s| is) the (?:var|value at risk|volatility|sharpe)|combien|how much|fais|do a|evalue"
)
_TOPICS: dict[str, list[str]] = {
    "backtest_strategy": [
        r"backtest", r"strategi", r"croisement", r"crossover", r"moyennes? mobiles?", r"moving average", r"\bsma\b",
        r"momentum", r"retour a la moyenne", r"mean[- ]revers", r"bollinger", r"\brsi\b", r"buy[- ]?(and|&)[- ]?hold",
        r"trading", r"sharpe de la strat",
    ],
    "value_at_risk": [r"\bvar\b", r"value[- ]at[- ]risk", r"valeur en risque", r"expected shortfall", r"\bcvar\b",
                      r"\bes\b a", r"perte (?:maximale|potentielle|possible)",
                      r"how much (?:could|can|might|would) (?:i|we) lose", r"combien (?:je )?(?:peux|pourrais|risque)"
                      r"[- ](?:je )?(?:de )?perdre", r"kupiec", r"christoffersen", r"traffic light",
                      r"feu tricolore"],
    "fit_garch": [r"garch", r"\bgjr\b", r"egarch", r"volatilite conditionnelle", r"conditional volatility",
                  r"modele de volatilite", r"volatility model", r"clustering de volatilite", r"volatilite"],
    "model_lab": [r"entraine", r"entrainer", r"\btrain", r"apprentissage de", r"fais tourner", r"model lab",
                  r"epoch", r"epoque", r"apprend(?:s|re)? (?:des|un|une|les) (?:embeddings|modele|reseau|vecteurs)",
                  r"learn (?:word )?(?:embeddings|vectors)", r"\bfit (?:a|an|the|my) (?:mlp|cnn|rnn|lstm|gru|vae|"
                  r"autoencoder|mini-?gpt|logistic|linear)", r"(?:mlp|cnn|rnn|lstm|gru|vae|autoencod\w*|gpt|word2vec)"
                  r"\b.{0,40}\b(?:iris|digits|mnist|dataset|jeu de donnees)",
                  r"\b(?:apprendre|learn|s'entrainer)\b.{0,30}\b(?:iris|digits|mnist|dataset)"],
    "study_plan": [r"planning", r"plan d'?etude", r"plan de revision", r"study plan", r"schedule", r"programme",
                   r"(?:h|heures?|hours?) ?(?:/|par|per|a la) ?(?:semaine|week)", r"emploi du temps", r"calendrier",
                   r"organiser mes", r"organise my", r"plan my",
                   r"plan (?:those|these|the next|my next) (?:weeks|months)",
                   r"planifie", r"(?:h|heures?|hours?) (?:a|la|per|par) (?:semaine|week)"],
    "roadmap_progress": [r"\bcoche", r"\bdecoche", r"mark .* (?:done|complete)", r"\bcheck (?:off )?item",
                         r"\buncheck", r"ou en suis", r"j'?ai (?:fini|termine|complete)",
                         r"marque.{0,15}(?:fait|termine|fini)", r"\bmark\b.{0,20}\b(?:done|complete|finished)",
                         r"progression", r"avancement", r"my progress", r"\buntick", r"\btick (?:off )?item",
                         r"valide[rz]? (?:le |l'|mon )?(?:critere|item|element)", r"\bcritere\b.{0,12}\bp\d",
                         r"(?:attaquer|commencer|travailler|faire|etudier|bosser|work on|tackle|start).{0,30}"
                         r"\b(?:maintenant|ensuite|next|now|apres)\b.{0,30}(?:parcours|roadmap|programme|cours)?",
                         r"how far", r"what next", r"what should i (?:study|learn|do) next", r"quoi ensuite",
                         r"prochaine etape", r"next step", r"que dois-je (?:etudier|faire|apprendre)",
                         r"par quoi (?:je )?continue",
                         r"(?:etudier|apprendre|reviser|study|learn|work on).{0,25}"
                         r"\b(?:ensuite|next|apres|maintenant|now)\b",
                         r"roadmap", r"feuille de route", r"item \d"],
    "check_exercise": [r"verifie", r"verifier", r"corrige", r"corriger", r"check my", r"grade", r"mon exercice",
                       r"my exercise", r"ma solution", r"my solution", r"ma reponse", r"est-ce (?:que )?(?:c'?est )?"
                       r"juste", r"is (?:it|this) (?:right|correct)"],
    "run_python": [r"execute", r"lance (?:ce|le) code", r"run (?:this|the|my) (?:code|snippet|script)",
                   r"qu'?affiche", r"what does (?:this|it) print", r"output of", r"fais tourner ce"],
}
# "un indice" is a hint; "l'indice Nasdaq" is a stock index
_WHY = re.compile(r"\bpourquoi\b|\bwhy\b|difference entre|difference between|c'?est quoi|qu'?est[- ]ce qu"
                  r"|how come|concretement")
_HINT = re.compile(r"(?:\bun|\bune|\bdes|autre|encore|petit|quelques?|premier|dernier)\s+indices?\b|\bindices?\s*"
                   r"(?:pour|sur|stp|svp|s'il|please|\?|$)|coup de pouce|\bhints?\b|aide[- ]moi|je bloque|je suis "
                   r"bloque|i'?m stuck|help me with|\bpiste\b|guide[- ]moi|nudge")
_SOLUTION = re.compile(r"(?:montre|donne|show|give)[- ](?:moi |me )?(?:la |the )?(?:solution|correction|corrige)"
                       r"|solution complete|full solution|la reponse complete")

EXAMPLES: dict[str, list[str]] = {
    "backtest_strategy": ["backtest a trading strategy on a stock index", "teste une stratégie de trading"],
    "value_at_risk": ["how much could I lose at 99% confidence", "quelle perte maximale à 99 %"],
    "fit_garch": ["model the volatility of returns", "ajuste un modèle de volatilité"],
    "model_lab": ["train a neural network model", "entraîne un modèle"],
    "study_plan": ["organise my study weeks", "organise mes semaines d'étude"],
    "roadmap_progress": ["how far am I in the roadmap", "quelle est ma progression"],
    "check_exercise": ["is my solution correct", "vérifie ma solution"],
    "run_python": ["run this code", "exécute ce code"],
    "search_course": ["explain a concept of the course", "explique une notion du cours"],
}


_DONE = re.compile(r"\b(?:i|i've|i have|we|j'?ai|on a|nous avons)\s+(?:\w+\s+){0,2}?(?:backtest|test|calcul|comput|fit|"
                   r"ajust|entrain|train|ran|run|lance|simul)\w*")


def asks_to_compute(low: str) -> bool:
    """Whether the (folded) request asks to run, compute or fit something ("I backtested 200 variants" tells what
    the learner did, it does not ask for a backtest)."""
    return bool(_ACTION.search(_DONE.sub(" ", low)))


@dataclass
class Route:
    """Where a request goes: a tool with arguments, or ``hint`` / ``solution`` for exercise help."""

    tool: Intent
    args: dict[str, Any] = field(default_factory=dict)
    score: float = 0.0
    why: str = "rules"


def _scores(low: str, has_code: bool) -> dict[str, float]:
    scores = {tool: float(sum(bool(re.search(p, low)) for p in pats)) for tool, pats in _TOPICS.items()}
    action = bool(_ACTION.search(low))
    explain = bool(_EXPLAIN.search(low))
    if has_code:
        judged = scores["check_exercise"] or "exerci" in low or re.search(
            r"passe(?:nt)? les tests|pass(?:es)? the tests|correct|juste|valide|bon\b|right", low)
        explicit_run = bool(scores["run_python"])
        scores["check_exercise"] += 1.5 if judged else 0
        scores["run_python"] += 2.0 if not judged else 0.5
        if judged and explicit_run and not scores["check_exercise"] > 1.5:
            scores["check_exercise"] = 0.0
    else:
        scores["run_python"] = 0.0
        if scores["check_exercise"] and "exerci" not in low and not re.search(r"solution|reponse", low):
            scores["check_exercise"] = 0.0
    if scores["value_at_risk"] and scores["fit_garch"]:
        # "VaR ... avec un GARCH" is a VaR; "GARCH ... forecast" is a fit
        scores["fit_garch"] = 0.0
    if scores["model_lab"] and not ex.model_name(low):
        scores["model_lab"] = 0.0
    if scores["backtest_strategy"] and scores["value_at_risk"] and re.search(r"backtest", low) and \
            re.search(r"\bvar\b|value at risk", low) and not ex.strategy(low):
        scores["backtest_strategy"] = 0.0  # "backtest de la VaR" is a VaR backtest
    why_first = bool(_WHY.match(low.lstrip(" ,!?")) or _WHY.search(low[:25]))
    conceptual = not has_code and not ex.ticker(low) and (
        (explain and not action and (not _has_figures(low) or _WHY.search(low))) or why_first)
    if conceptual:  # "pourquoi alpha + beta < 1 dans un GARCH(1,1) ?" asks for an explanation, not a fit
        for tool in ("backtest_strategy", "value_at_risk", "fit_garch", "model_lab"):
            scores[tool] = 0.0
    if has_code and scores["check_exercise"] >= 1.5:
        scores["check_exercise"] += 3.0  # code attached to be judged beats any topic word in the message
    item = ex.item_id(low)
    if item and re.search(r"coche|tick|valide|termine|fini|done|complete|mark|redo|refaire|checked", low):
        scores["roadmap_progress"] += 2.0
    return scores


def _has_figures(low: str) -> bool:
    return bool(re.search(r"\d", low) or ex.ticker(low) or re.search(r"\bsur (?:le|la|l')", low))


class Router:
    """Rules first, then similarity to the tools' descriptions (when an embedder is given)."""

    def __init__(self, embedder: Any = None, descriptions: dict[str, str] | None = None) -> None:
        self._embedder = embedder
        self._labels: list[str] = []
        self._matrix: np.ndarray | None = None
        if embedder is not None:
            texts: list[str] = []
            for tool, examples in EXAMPLES.items():
                for t in [*(examples), (descriptions or {}).get(tool, "")]:
                    if t:
                        self._labels.append(tool)
                        texts.append(t)
            self._matrix = embedder.embed(texts)

    def route(self, text: str, code: str | None = None) -> Route:
        if code is None:
            text, code = ex.code_block(text)
        low = fold(text)
        if _SOLUTION.search(low):
            return Route("solution", {"exercise_id": _exercise(text, code)})
        wants_hint = bool(_HINT.search(low))
        if wants_hint and ("exerci" in low or _exercise(text, code)):
            return Route("hint", {"exercise_id": _exercise(text, code)})
        scores = _scores(low, code is not None)
        best = max(scores, key=lambda t: scores[t])
        if scores[best] > 0:
            return Route(best, self.arguments(best, text, code), scores[best])
        if wants_hint and (len(ex_tokens(text)) <= 4 or re.search(r"\bexo|exerci|indice|hint", low)):
            return Route("hint", {})  # "encore un indice": the tutor knows the exercise from the conversation
        if code is not None:
            return Route("run_python", self.arguments("run_python", text, code), 0.5)
        if self._matrix is not None and not _EXPLAIN.search(low):
            sims = self._matrix @ self._embedder.embed([text])[0]
            i = int(np.argmax(sims))
            if sims[i] > 0.55 and self._labels[i] != "search_course":
                tool = self._labels[i]
                return Route(tool, self.arguments(tool, text, code), float(sims[i]), "similarity")
        return Route("search_course", {"query": text.strip()}, 0.0, "default")

    @staticmethod
    def arguments(tool: str, text: str, code: str | None) -> dict[str, Any]:
        """Extract the key arguments of ``tool`` from the request (defaults are the tool's own)."""
        args: dict[str, Any] = {}

        def put(key: str, value: Any) -> None:
            if value is not None and value != {}:
                args[key] = value

        match tool:
            case "backtest_strategy":
                name = ex.strategy(text) or "sma-cross"
                put("ticker", ex.ticker(text))
                args["strategy"] = name
                put("params", ex.strategy_params(text, name))
                put("cost_bps", ex.cost_bps(text))
            case "value_at_risk":
                put("ticker", ex.ticker(text))
                put("level", ex.level(text) or ex.bare_level(text))
                put("method", ex.var_method(text))
                put("horizon_days", ex.horizon_days(text))
            case "fit_garch":
                put("ticker", ex.ticker(text))
                put("model", ex.garch_model(text))
                put("dist", ex.garch_dist(text))
                start, end = ex.date_range(text)
                put("start", start)
                put("end", end)
            case "model_lab":
                put("model", ex.model_name(text))
                put("dataset", ex.dataset(text))
                put("epochs", ex.epochs(text))
            case "study_plan":
                put("hours_per_week", ex.hours_per_week(text))
                put("weeks", ex.weeks(text))
            case "roadmap_progress":
                low = fold(text)
                item = ex.item_id(text)
                if re.search(r"decoche|uncheck|unmark|untick|retire|redo|refaire|pas encore fini", low):
                    action = "uncheck"
                elif item or re.search(r"\bcoche|mark .*(done|complete)|check (?:off )?item|termine|j'?ai fini", low):
                    action = "check"
                elif re.search(r"next|ensuite|prochaine|que dois|je dois|dois-je|par quoi|suivant|apres|maintenant"
                               r"|\bnow\b|attaquer|tackle", low):
                    action = "next"
                else:
                    action = "show"
                args["action"] = action
                put("item_id", item)
            case "check_exercise":
                put("exercise_id", _exercise(text, code))
                put("code", code)
            case "run_python":
                put("code", code)
                put("timeout_s", ex.timeout_s(text))
            case "search_course":
                args["query"] = text.strip()
        return args


def _exercise(text: str, code: str | None) -> str | None:
    """Exercise named in the text, else the one whose expected functions the code defines."""
    from knowledge.exercise_bank import find_exercise_in_text, list_exercises

    if code:  # the functions the code defines are the strongest evidence
        defined = set(re.findall(r"^\s*def\s+(\w+)", code, re.M))
        best: tuple[int, str] | None = None
        for info in list_exercises():
            hits = len(defined & set(info.functions))
            if hits and (best is None or hits > best[0]):
                best = (hits, info.id)
        if best:
            return best[1]
    return find_exercise_in_text(text)
