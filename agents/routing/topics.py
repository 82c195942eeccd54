"""The course's topic words for each tool (accent-folded regular expressions): evidence for the intent model and
the router's argument extraction, not a decision by themselves."""

from __future__ import annotations

import re

TOPICS: dict[str, list[str]] = {
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

_COMPILED = {tool: re.compile("|".join(f"(?:{p})" for p in pats)) for tool, pats in TOPICS.items()}


def topic_hits(low: str) -> list[str]:
    """The tools whose topic words occur in the folded request."""
    return [tool for tool, pattern in _COMPILED.items() if pattern.search(low)]
