"""Explanation cards: the shipped files pass the linter, every number is recomputed, the linter catches defects."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from knowledge.cards.checks import run_check
from knowledge.cards.library import CARDS_DIR, lesson_of, load_cards
from knowledge.cards.lint import lint_files
from knowledge.cards.schema import count_sentences, count_words

LIBRARY = load_cards()


def test_shipped_cards_pass_the_linter() -> None:
    issues = lint_files(sorted(CARDS_DIR.glob("*.yaml")))
    assert not issues, "\n".join(str(i) for i in issues[:30])
    assert not LIBRARY.skipped


def test_every_chapter_has_its_cards() -> None:
    counts: dict[str, int] = {}
    for card in LIBRARY.cards:
        counts[card.chapter] = counts.get(card.chapter, 0) + 1
    for n in range(45):
        chapter = f"{n:02d}"
        need = 18 if n >= 19 else 12
        assert counts.get(chapter, 0) >= need, f"chapter {chapter}: {counts.get(chapter, 0)} cards, need {need}"


def test_the_questions_learners_asked_have_their_card() -> None:
    """The concepts named in the issue that triggered the cards (why sqrt(d_k), pre-LN, VaR vs ES ...)."""
    ids = " ".join(c.id for c in LIBRARY.cards)
    for needle in ("27-why-sqrt-dk", "lstm", "gru", "bert", "rlhf", "dpo", "layernorm", "batchnorm", "var",
                   "es", "gjr", "kupiec", "sharpe", "warmup", "pre-ln", "252"):
        assert needle in ids, needle


@pytest.mark.parametrize("card", [c for c in LIBRARY.cards if c.check], ids=lambda c: c.id)
def test_card_numbers_are_recomputed(card) -> None:  # type: ignore[no-untyped-def]
    assert run_check(card) is None, run_check(card)


def test_every_card_cites_a_lesson_section_that_exists() -> None:
    for card in LIBRARY.cards:
        lesson = lesson_of(card.chapter)
        assert lesson is not None and lesson.source.startswith("knowledge/course/")
        text = (CARDS_DIR.parent / Path(lesson.source).name).read_text("utf-8")
        assert card.section in text, card.id


# -- the linter catches each kind of defect, with its file and line ---------------------------------------
GOOD = """\
  - id: "{id}"
    section: "Self-attention : scaled dot-product attention"
    kind: why
    questions:
      fr: ["{q} en français correct ?"]
      fr_informal: ["{q} en vrai pk", "{q} jcomprends pas"]
      en: ["{q} in English?", "{q} casual"]
    simple:
      fr: "Une phrase simple. Une deuxième phrase."
      en: "One simple sentence. A second sentence."
    standard:
      fr: "{words}"
      en: "{words}"
    related: {related}
    misconception:
      fr: {{claim: "faux", correction: "vrai"}}
      en: {{claim: "wrong", correction: "right"}}
"""


def _file(tmp_path: Path, cards: list[dict[str, str]], *, chapter: str = "27", name: str | None = None) -> Path:
    words = " ".join(["mot"] * 100)
    body = "".join(GOOD.format(words=words, id=c["id"], q=c["q"], related=c.get("related", "[]")) for c in cards)
    path = tmp_path / (name or f"{chapter}.yaml")
    path.write_text(f'chapter: "{chapter}"\ncards:\n{body}', encoding="utf-8")
    return path


def _messages(path: Path) -> list[str]:
    return [f"{i.line}:{i.message}" for i in lint_files([path])]


def test_a_valid_file_passes(tmp_path: Path) -> None:
    assert _messages(_file(tmp_path, [{"id": "27-a", "q": "alpha"}, {"id": "27-b", "q": "beta"}])) == []


def test_duplicate_id_is_reported_with_its_line(tmp_path: Path) -> None:
    msgs = _messages(_file(tmp_path, [{"id": "27-a", "q": "alpha"}, {"id": "27-a", "q": "beta"}]))
    assert any(m.startswith("20:") and "duplicate id '27-a'" in m for m in msgs), msgs


def test_unknown_chapter_and_missing_section(tmp_path: Path) -> None:
    msgs = " ".join(_messages(_file(tmp_path, [{"id": "99-a", "q": "alpha"}], chapter="99")))
    assert "unknown chapter '99'" in msgs
    path = _file(tmp_path, [{"id": "27-a", "q": "alpha"}])
    path.write_text(path.read_text().replace("Self-attention : scaled", "Une section inventée"), encoding="utf-8")
    assert "is not a heading of lesson 27" in " ".join(_messages(path))


def test_dangling_related_id(tmp_path: Path) -> None:
    msgs = " ".join(_messages(_file(tmp_path, [{"id": "27-a", "q": "alpha", "related": '["27-nope"]'}])))
    assert "related id '27-nope' does not exist" in msgs


def test_missing_language_and_level_lengths(tmp_path: Path) -> None:
    path = _file(tmp_path, [{"id": "27-a", "q": "alpha"}])
    text = path.read_text()
    no_en = text.replace('      en: "One simple sentence. A second sentence."\n', "")
    path.write_text(no_en, encoding="utf-8")
    assert any("simple.en" in m and "Field required" in m for m in _messages(path))
    long_simple = text.replace("Une phrase simple. Une deuxième phrase.", "Un. Deux. Trois. Quatre. Cinq. Six.")
    path.write_text(long_simple, encoding="utf-8")
    assert any("simple.fr has 6 sentences" in m for m in _messages(path))
    short = text.replace(" ".join(["mot"] * 100), "trop court")
    path.write_text(short, encoding="utf-8")
    assert any("standard.fr has 2 words" in m for m in _messages(path))
    formula = text.replace("Une phrase simple.", "Une phrase $x^2$ simple.")
    path.write_text(formula, encoding="utf-8")
    assert any("simple.fr contains a formula" in m for m in _messages(path))


def test_colliding_questions_between_cards(tmp_path: Path) -> None:
    msgs = " ".join(_messages(_file(tmp_path, [{"id": "27-a", "q": "pourquoi la racine"},
                                              {"id": "27-b", "q": "pourquoi la racine"}])))
    assert "is also a question of 27-a" in msgs


def test_invalid_yaml_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "27.yaml"
    path.write_text('chapter: "27"\ncards:\n  - id: "27-a"\n    section: [unclosed\n', encoding="utf-8")
    (issue,) = lint_files([path])
    assert issue.file == str(path) and issue.line >= 4 and "invalid YAML" in issue.message


def test_a_numeric_example_needs_a_check(tmp_path: Path) -> None:
    path = _file(tmp_path, [{"id": "27-a", "q": "alpha"}])
    path.write_text(path.read_text().replace(" ".join(["mot"] * 100), " ".join(["mot"] * 98) + " ≈ 0.97"))
    assert any("add a `check`" in m for m in _messages(path))


def test_a_malformed_file_is_skipped_at_run_time(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _file(tmp_path, [{"id": "27-a", "q": "alpha"}])
    (tmp_path / "28.yaml").write_text("chapter: '28'\ncards: [ {broken\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        lib = load_cards(tmp_path)
    assert [c.id for c in lib.cards] == ["27-a"] and "28.yaml" in lib.skipped[0]
    assert "28.yaml skipped" in caplog.text


def test_facts_are_optional_but_checked(tmp_path: Path) -> None:
    path = _file(tmp_path, [{"id": "27-a", "q": "alpha"}])
    text = path.read_text()
    facts = '    facts:\n      fr: ["Un fait.", "Un autre fait."]\n      en: ["A fact."]\n'
    path.write_text(text.replace("    related:", facts + "    related:"), encoding="utf-8")
    assert any("facts: 2 in French, 1 in English" in m for m in _messages(path))
    wordy = " ".join(["mot"] * 41)
    facts = f'    facts:\n      fr: ["{wordy}"]\n      en: ["A fact."]\n'
    path.write_text(text.replace("    related:", facts + "    related:"), encoding="utf-8")
    assert [m.split(":", 1)[1] for m in _messages(path)] == ["27-a: facts.fr #1 has 41 words; at most 40"]
    facts = '    facts:\n      fr: ["Un fait exact."]\n      en: ["One true fact."]\n'
    path.write_text(text.replace("    related:", facts + "    related:"), encoding="utf-8")
    assert _messages(path) == []
    card = load_cards(tmp_path).cards[0]
    assert card.facts is not None and card.facts.get("en") == ["One true fact."]


def test_sentence_and_word_counts() -> None:
    assert count_sentences("La VaR à 99 % vaut 2.3 %. Elle est négative ? Oui ! Fin.") == 4
    assert count_sentences("Fan et al. (2018) ont introduit le top-k, e.g. (k = 50). Fin.") == 2
    assert count_words("a $x = 1$ b") == 5


def test_the_card_index_is_stored_in_chroma_and_loaded_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from knowledge.cards import index as card_index
    from knowledge.config import get_settings
    from knowledge.embeddings import get_embedder

    for chapter in ("27", "37"):
        shutil.copy(CARDS_DIR / f"{chapter}.yaml", tmp_path / f"{chapter}.yaml")
    library = load_cards(tmp_path)
    settings, embedder = get_settings(), get_embedder(get_settings())
    built = card_index.open_index(settings, library, embedder)

    def no_rebuild(*_: object, **__: object) -> None:
        raise AssertionError("the stored index should be loaded, not rebuilt")

    monkeypatch.setattr(card_index.CardIndex, "build", no_rebuild)
    loaded = card_index.open_index(settings, library, embedder)
    assert [e.text for e in loaded.entries] == [e.text for e in built.entries]
    # read back a page at a time (pages far smaller than the collection): the same entries and vectors
    pages = card_index._read_pages
    monkeypatch.setattr(card_index, "_read_pages", lambda col: pages(col, page=37))
    paged = card_index.open_index(settings, library, embedder)
    assert [(e.card, e.kind, e.text) for e in paged.entries] == [(e.card, e.kind, e.text) for e in built.entries]
    assert paged.vectors.dtype == built.vectors.dtype and (paged.vectors == loaded.vectors).all()
    assert abs(paged.vectors - built.vectors).max() < 1e-6
    question = "pk on divise par racine de d_k dans l'attention ?"
    a, b = built.match(question), loaded.match(question)
    assert a is not None and b is not None and a.card.id == b.card.id == "27-why-sqrt-dk"
    assert b.confidence == pytest.approx(a.confidence, abs=1e-6)


def test_content_lint_command_reports_file_and_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli import app

    bad = tmp_path / "27.yaml"
    bad.write_text('chapter: "27"\ncards:\n  - id: "27-a"\n    section: [unclosed\n', encoding="utf-8")
    res = CliRunner().invoke(app, ["content", "lint", str(bad), "--chapter", "27", "--no-quizzes"])
    assert res.exit_code == 1 and f"{bad}:" in res.output and "invalid YAML" in res.output
    assert "0 failed checks" in res.output


def test_what_a_check_prints_stays_out_of_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    card = LIBRARY.by_id["01-function-returns-none"]  # its check prints on purpose: print(x) is not return x
    assert "print(" in (card.check or "")
    assert run_check(card) is None
    assert capsys.readouterr().out == ""
