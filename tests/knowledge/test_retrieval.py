from __future__ import annotations

import pytest

from knowledge.retrieval import RRF_K, search, section_prior, tokenize

pytestmark = pytest.mark.integration


def test_tokenize_folds_accents_and_drops_stop_words() -> None:
    assert tokenize("Qu'est-ce que la Rétropropagation des réseaux ?") == ["retropropagation", "reseaux"]


@pytest.mark.parametrize(
    ("query", "chapter"),
    [
        ("Qu'est-ce que la VaR ?", "37"),
        ("What is backpropagation?", "19"),
        ("comment fonctionne la self-attention", "27"),
        ("variance conditionnelle GARCH", "37"),
    ],
)
def test_hybrid_search_finds_the_right_chapter(ingested, query: str, chapter: str) -> None:
    top = search(query, 3)
    assert top[0].chapter == chapter
    assert top[0].source.endswith(".md") and top[0].heading.startswith("Chapitre")


def test_filters_restrict_phase_and_chapter(ingested) -> None:
    only = search("gradient attention variance", 10, chapter="27")
    assert only and {p.chapter for p in only} == {"27"}
    assert {p.phase for p in search("gradient attention variance", 10, phase="7")} == {"7"}
    assert search("gradient", 5, phase="3") == []


def test_rrf_scores_are_reciprocal_rank_sums(ingested) -> None:
    hybrid = search("Value at Risk quantile", 5)
    dense = [p.id for p in search("Value at Risk quantile", 20, mode="dense")]
    bm25 = [p.id for p in search("Value at Risk quantile", 20, mode="bm25")]
    for p in hybrid:
        expected = sum(1 / (RRF_K + ranks.index(p.id) + 1) for ranks in (dense, bm25) if p.id in ranks)
        expected *= section_prior(p.heading)
        assert p.score == pytest.approx(expected, abs=1e-6)
    assert [p.score for p in hybrid] == sorted((p.score for p in hybrid), reverse=True)


def test_empty_store_and_empty_query() -> None:
    assert search("anything", 5) == []
    assert search("   ", 5) == []


def test_section_prior() -> None:
    assert section_prior("Chapitre 38 > Objectifs") == 0.8
    assert section_prior("Chapitre 38 > Erreurs fréquentes") == 0.8
    assert section_prior("Chapitre 38 > Métriques de performance : Sharpe") == 1.0


@pytest.mark.parametrize(("kwargs", "match"), [({"phase": "9"}, "phase must be 0 to 7"),
                                               ({"chapter": "abc"}, "chapter must be 00 to 44"),
                                               ({"chapter": "45"}, "chapter must be 00 to 44")])
def test_bad_filters_say_what_is_allowed(ingested, kwargs: dict, match: str) -> None:
    from knowledge.errors import QueryError

    with pytest.raises(QueryError, match=match):
        search("VaR", 3, **kwargs)


def test_relevant_passages_keep_those_sharing_a_content_word() -> None:
    from knowledge.retrieval import Passage, relevant_passages

    def passage(text: str) -> Passage:
        return Passage(id=text, text=text, source="x.md", heading="", phase=None, chapter=None, score=0.1)

    found = [passage("La rétropropagation applique la règle de la chaîne."), passage("Le modèle GARCH(1,1).")]
    assert relevant_passages("c'est quoi la retropropagation ?", found) == found[:1]  # accents folded
    assert relevant_passages("recette de la tarte aux pommes", found) == []  # stop words do not count
