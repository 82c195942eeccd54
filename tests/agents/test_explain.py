"""Concept questions: the matching card at the learner's level, or a short explanation from the passages."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from agents.answer import ask, ask_stream
from agents.explain import (
    RELATED_SIMILARITY,
    card_answer,
    choose_level,
    match_card,
    passage_answer,
    passage_explanation,
    question_problem,
    render_card,
    second_card,
    sentences_of,
)
from knowledge.cards.index import load_default_index
from knowledge.cards.library import load_cards
from knowledge.cards.match import PART_CONFIDENCE, CardMatch, combine_parts, question_parts
from knowledge.cards.normalize import Normalizer, expand, terms_of, vocabulary_of, words_of
from knowledge.cards.schema import Facts
from knowledge.config import get_settings
from knowledge.embeddings import get_embedder
from knowledge.retrieval import Passage


@pytest.mark.parametrize(
    ("text", "expected"),
    [("pk on divise par racine de dk", "pourquoi on divise par racine de dk"),
     ("c quoi la VaR stp", "c'est quoi la VaR s'il te plaît"),
     ("whats the point of top-k", "what is the point of top-k")],
)
def test_chat_spelling_is_expanded(text: str, expected: str) -> None:
    assert expand(text) == expected


def test_course_terms_are_one_token_in_both_languages() -> None:
    assert terms_of("la normalisation de couche") == terms_of("the layer norm") == ["layernorm"]
    assert terms_of("taux d'apprentissage") == ["learningrate"] == terms_of("Learning Rate")
    assert "dk" in terms_of("racine de d_k")


def test_typos_are_mended_towards_the_vocabulary() -> None:
    n = Normalizer(vocabulary_of(["la volatilité conditionnelle", "rétropropagation"]))
    assert n.normalize("volatilite condtionnelle").clean == "volatilite conditionnelle"
    assert n.normalize("l'retropropagaton").clean == "l'retropropagation"  # the word after an elision too


def test_real_words_are_not_mended_into_their_neighbours() -> None:
    vocabulary = vocabulary_of(["un test pour une personne malade", "la selection des variables"])
    assert Normalizer(vocabulary).normalize("maladie section").clean == "malade selection"  # what it did
    mended = Normalizer(vocabulary, known=words_of(["La maladie est rare.", "Chaque section du cours."]))
    assert mended.normalize("maladie section").clean == "maladie section"
    assert mended.normalize("personne malade").clean == "personne malade"


@pytest.mark.parametrize(("text", "level"), [("explique moi en gros la VaR", "simple"),
                                             ("Explain attention simply", "simple"),
                                             ("Qu'est-ce que la VaR ?", "standard"),
                                             ("explique simplement le GARCH", "simple"),
                                             ("c quoi un kv cache, simplement stp", "simple"),
                                             ("plus simple stp", "simple"), ("tl;dr on rope?", "simple"),
                                             # "simple" naming the subject is not a request for the gist
                                             ("c koi la diff entre rendement simple et log rendement ?", "standard"),
                                             ("why not simply average the log returns?", "standard"),
                                             ("pk sgd converge rapidement au debut ?", "standard"),
                                             ("What is a simple moving average?", "standard")])
def test_level_follows_the_request(text: str, level: str) -> None:
    assert choose_level(text) == level


@pytest.mark.parametrize("text", ["", "   \n\t", "🤔🤔🔥", "???"])
def test_empty_or_wordless_question_gets_advice(text: str) -> None:
    answer = ask(text)
    assert answer.mode == "none" and "Écris ta question" in answer.answer


def test_a_very_long_question_is_asked_to_be_shortened() -> None:
    answer = ask("pourquoi " * 700)
    assert answer.mode == "none" and "6300 caractères" in answer.answer
    assert question_problem("Why VaR?", "en") is None


def test_sentences_keep_formulas_whole() -> None:
    text = ("Le score est $q^\\top k / \\sqrt{d_k}$. Sans ce facteur, le softmax sature vite. "
            "$$\\text{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}. \\quad \\text{Fin}$$ "
            "est la formule utilisée ici.")
    sents = sentences_of(text)
    assert all(s.count("$") % 2 == 0 for s in sents)
    assert any("\\frac{e^{x_i}}" in s and "Fin" in s for s in sents)


def test_passage_explanation_is_short_titled_and_on_topic() -> None:
    embedder = get_embedder(get_settings())
    passages = [
        Passage("a", "La VaR historique est le quantile empirique des pertes sur une fenêtre glissante. "
                     "On trie les rendements et on lit le quantile au niveau choisi. " * 6,
                "knowledge/course/37-x.md", "Chapitre 37 > VaR historique", "7", "37", 1.0),
        Passage("b", "Le GARCH modélise la variance conditionnelle des rendements financiers au fil du temps.",
                "knowledge/course/37-x.md", "Chapitre 37 > GARCH", "7", "37", 0.5),
    ]
    text, cited = passage_explanation("comment on calcule la VaR historique ?", passages, embedder, "fr")
    assert text.startswith("**VaR historique**") and cited == [1]
    assert len(text.split()) <= 130 and "GARCH" not in text


@pytest.mark.parametrize(
    ("question", "chapter", "lang"),
    [("pk on divise par racine de d_k dans l'attention ?", "27", "fr"),
     ("Pourquoi divise-t-on les scores d'attention par la racine de d_k ?", "27", "fr"),
     ("why do we scale the dot products by sqrt(dk) in attention", "27", "en")],
)
def test_a_card_answers_the_question_in_its_language(question: str, chapter: str, lang: str) -> None:
    answer = ask(question)
    assert answer.mode == "card", answer.answer
    assert answer.language == lang and answer.citations[0].chapter == chapter
    assert answer.memo["card"] == "27-why-sqrt-dk" and "[1]" in answer.answer
    assert ("variance" in answer.answer.lower()) and answer.citations[0].source.startswith("knowledge/course/27-")


def test_simple_level_on_request() -> None:
    answer = ask("en gros pk on divise par racine de dk dans l'attention")
    assert answer.mode == "card" and answer.memo["level"] == "simple"
    assert "$" not in answer.answer.split("\n\n")[1]


def test_the_standard_level_lists_the_facts_a_teacher_adds() -> None:
    facts = Facts(fr=["Un fait que le professeur ajoute.", "Un second fait."],
                  en=["A fact the teacher adds.", "A second fact."])
    card = load_cards().cards[0].model_copy(update={"facts": facts})
    standard, simple = render_card(card, "standard", "fr"), render_card(card, "simple", "fr")
    listed = "\n".join(f"- {f}" for f in card.facts.fr)
    assert "_À retenir aussi :_\n" + listed in standard
    assert card.facts.fr[0] not in simple and "À retenir" not in simple
    assert "_Also worth knowing :_\n- " + card.facts.en[0] in render_card(card, "standard", "en")


def test_no_card_falls_back_to_the_passages_and_says_so(ingested) -> None:  # type: ignore[no-untyped-def]
    answer = ask("Que dit le chapitre sur la recette du gâteau au chocolat de ma grand-mère ?")
    assert answer.mode in ("extractive", "none")
    if answer.mode == "extractive":
        assert answer.flags == ["no-card"] and "pas de fiche" in answer.answer


def test_the_embedded_model_never_streams_a_concept_answer(ingested) -> None:  # type: ignore[no-untyped-def]
    kinds = [e["type"] for e in ask_stream("What is backpropagation?")]
    assert kinds == ["answer"]


def test_a_capable_model_builds_on_the_card(scripted_llm) -> None:  # type: ignore[no-untyped-def]
    scripted_llm.enqueue(
        "Si les composantes de q et k sont indépendantes, de moyenne 0 et de variance 1, chaque terme a une "
        "variance 1, donc la variance du produit scalaire vaut d_k. En divisant par la racine de d_k, on "
        "obtient des scores de variance 1 : le softmax reste dans sa zone sensible et l'entraînement est "
        "stable [1].")
    answer = ask("pk on divise par racine de d_k dans l'attention ?", llm=scripted_llm)
    assert answer.mode == "generated" and answer.memo["card"] == "27-why-sqrt-dk"
    system, user = scripted_llm.history[0]
    assert "fiche d'explication" in system.content and re.search(r"\[1\] .*27", user.content)


def test_a_capable_model_that_contradicts_the_card_is_replaced_by_it(scripted_llm) -> None:  # type: ignore[no-untyped-def]
    scripted_llm.enqueue("Bitcoin mining rewards halve every four years according to the whitepaper schedule.")
    answer = ask("why do we scale the dot products by sqrt(dk) in attention", llm=scripted_llm)
    assert answer.mode == "card" and answer.flags == ["fallback:ungrounded"] and answer.language == "en"


def _match(first: str, confidence: float, runner: str | None = None, runner_confidence: float = 0.0) -> CardMatch:
    cards = load_cards()
    return CardMatch(cards.by_id[first], confidence, cards.by_id[runner] if runner else None, runner_confidence)


def test_a_likely_second_card_follows_as_see_also() -> None:
    settings = get_settings()
    match = _match("14-why-bce-not-mse", 0.64, "14-logistic-log-odds", 0.49)
    second = second_card(match, settings)
    assert second is not None and second.id == "14-logistic-log-odds"
    answer = card_answer(match, "pk la regression logistique s'appelle regression ?", "fr", "test", second)
    assert [c.n for c in answer.citations] == [1, 2] and answer.memo["also"] == "14-logistic-log-odds"
    assert "**À lire aussi :" in answer.answer and answer.answer.rstrip().endswith("[2]")
    assert answer.citations[1].chapter == "14"


def test_the_related_card_closest_to_the_question_follows_as_see_also() -> None:
    settings = get_settings()
    match = match_card("c quoi le bottleneck du vecteur de contexte en seq2seq", settings)
    assert match is not None and match.card.id == "26-why-seq2seq-bottleneck" and match.vector is not None
    index = load_default_index(settings)
    related, sim = index.closest_related(match.card, match.vector)
    assert related.id == "26-how-bahdanau-attention" and related.id in match.card.related
    # the same cosine computed here, independently: the best phrasing of the related card against the question
    question = index.embedder.embed([index.normalizer.normalize("c quoi le bottleneck du vecteur de contexte en "
                                                                "seq2seq").clean])[0]
    phrasings = index.embedder.embed([index.normalizer.normalize(q).clean for _, q in related.questions.all()])
    assert sim == pytest.approx(float((phrasings @ question).max()), abs=1e-4) and sim >= RELATED_SIMILARITY
    second = second_card(match, settings)
    assert second is not None and second.id == "26-how-bahdanau-attention"
    answer = card_answer(match, "c quoi le bottleneck du vecteur de contexte en seq2seq", "fr", "test", second)
    assert answer.memo["also"] == "26-how-bahdanau-attention" and related.simple.fr in answer.answer


def test_no_related_card_below_the_threshold_or_repeating_the_first() -> None:
    settings = get_settings()
    match = match_card("pk mon rnn oublie le debut des longues sequences", settings)
    assert match is not None and match.vector is not None
    found = load_default_index(settings).closest_related(match.card, match.vector)
    assert found is not None and found[1] < RELATED_SIMILARITY and second_card(match, settings) is None
    far = replace(match, vector=-match.vector)  # a question pointing away from every related card
    assert second_card(far, settings) is None


@pytest.mark.parametrize(
    ("first", "runner", "confidence"),
    [("11-why-sqrt-252-rolling-vol", "37-why-sqrt-252", 0.45),  # the same explanation in two chapters
     ("26-diff-bahdanau-luong", "22-diff-luong-vs-bahdanau-attention", 0.45),  # the same question twice
     ("14-why-bce-not-mse", "14-logistic-log-odds", 0.2)],  # a runner-up too unlikely
)
def test_no_second_card_that_repeats_the_first_or_is_unlikely(first: str, runner: str, confidence: float) -> None:
    assert second_card(_match(first, 0.6, runner, confidence), get_settings()) is None


def test_a_plausible_nearest_card_answers_when_none_is_confident() -> None:
    passages = [Passage("a", "La VaR historique prend le quantile empirique des pertes passées sur une fenêtre.",
                        "knowledge/course/37-x.md", "Chapitre 37 > VaR historique", "7", "37", 0.9)]
    near = passage_answer("valeurs propres c koi ?", passages, _match("04-eigen-what", 0.25), "fr", "test",
                          get_settings())
    assert near.mode == "card" and near.flags == ["nearest-card"] and near.memo["card"] == "04-eigen-what"
    assert near.answer.startswith("Je n'ai pas de fiche pour exactement cette question ; voici la plus proche.")
    low = passage_answer("valeurs propres c koi ?", passages, _match("04-eigen-what", 0.13), "fr", "test",
                         get_settings())
    assert low.mode == "card" and low.flags == ["nearest-card"]
    far = passage_answer("valeurs propres c koi ?", passages, _match("04-eigen-what", 0.11), "fr", "test",
                         get_settings())
    assert far.mode == "extractive" and far.flags == ["no-card"] and "Tu cherchais" not in far.answer


def test_a_question_on_the_learners_own_notes_is_answered_from_them() -> None:
    notes = [Passage("n", "Mes notes : la VaR historique se lit sur les 500 derniers jours, au quantile 1 %.",
                     "notes/var.md", "Mes notes > VaR", None, None, 0.9)]
    answer = passage_answer("ma VaR dans mes notes ?", notes, _match("37-var-vs-es", 0.25), "fr", "test",
                            get_settings())
    assert answer.mode == "extractive" and answer.citations[0].source == "notes/var.md"
    assert "Tu cherchais peut-être" in answer.answer and answer.memo["near_card"] == "37-var-vs-es"


@pytest.mark.parametrize(
    ("text", "parts"),
    [("c quoi le kv cache et pk ca bouffe autant de memoire ?",
      ["c quoi le kv cache", "et pk ca bouffe autant de memoire ?"]),
     ("What is a chat template, and why does my model produce garbage?",
      ["What is a chat template", "and why does my model produce garbage?"]),
     ("Pourquoi divise-t-on par n - 1 ? J'obtiens des écarts-types différents avec pandas.",
      ["Pourquoi divise-t-on par n - 1 ?", "J'obtiens des écarts-types différents avec pandas."]),
     ("pk on divise par racine de d_k dans l'attention ?", []),  # one question
     ("mon lr est 0.5. c trop ?", []),  # a part under three words is not a question of its own
     ("le ratio vaut 1.5 et le beta 0.97 sur mes données, c normal", [])],  # decimals do not end sentences
)
def test_a_question_asking_two_things_is_split(text: str, parts: list[str]) -> None:
    assert question_parts(text) == parts


def test_parts_choose_the_card_when_the_whole_question_finds_none() -> None:
    cards = load_cards().by_id
    whole = CardMatch(cards["36-pagedattention"], 0.29, cards["36-gqa-kv-cache"], 0.16)
    kv = CardMatch(cards["36-what-is-kv-cache"], 0.69)
    other = CardMatch(cards["19-why-backprop-stores-activations"], 0.16)
    got = combine_parts(whole, [kv, other])
    assert (got.card.id, got.confidence) == ("36-what-is-kv-cache", 0.69)
    assert (got.runner_up.id, got.runner_up_confidence) == ("36-pagedattention", 0.29)


def test_a_confident_part_brings_its_card_as_runner_up() -> None:
    cards = load_cards().by_id
    whole = CardMatch(cards["16-how-elbow-method"], 0.56, cards["16-what-silhouette-coefficient"], 0.41)
    assert combine_parts(whole, []) == whole  # one question: unchanged
    part = CardMatch(cards["16-what-silhouette-coefficient"], 0.72)
    got = combine_parts(whole, [part, CardMatch(cards["16-how-elbow-method"], 0.47)])
    assert (got.card.id, got.runner_up.id, got.runner_up_confidence) == (
        "16-how-elbow-method", "16-what-silhouette-coefficient", 0.72)
    weak = CardMatch(cards["36-why-p99-latency"], PART_CONFIDENCE - 0.01)  # "c juste une moyenne" -> noise
    assert combine_parts(whole, [weak]).runner_up.id == "16-what-silhouette-coefficient"


def test_a_two_part_question_is_answered_by_its_confident_part(ingested) -> None:  # type: ignore[no-untyped-def]
    answer = ask("c quoi le kv cache et pk ca bouffe autant de memoire qd j'augmente la longueur du contexte ?")
    assert answer.mode == "card" and answer.memo["card"] == "36-what-is-kv-cache", answer.memo
    assert answer.citations[0].chapter == "36"
