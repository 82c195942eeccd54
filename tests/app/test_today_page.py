"""The "Aujourd'hui" page through AppTest: a review session, a quiz on chapter 27, a study session; all durable."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from knowledge.config import get_settings
from knowledge.learning.mastery import EvidenceStore
from knowledge.learning.reviews import open_engine, open_reviews
from knowledge.quizzes.bank import load_quizzes, option_order
from knowledge.roadmap import load_roadmap

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "app_pages" / "today.py")


def _page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, key: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.key == key)


def test_review_session_records_reviews_that_survive_a_restart() -> None:
    at = _page()
    assert at.metric[0].value == "0"
    at.selectbox(key="add-chapter").set_value("27")
    _button(at, "add-cards").click().run()
    assert any("fiches du chapitre 27" in s.value for s in at.success)
    at = _page()  # a restart: the deck is in the database
    due_before = int(at.metric[0].value)
    assert due_before >= 18
    _button(at, "reveal").click().run()
    assert at.info, "the answer is shown"
    _button(at, "rate-good").click().run()
    assert not at.exception
    store = open_reviews(get_settings())
    assert len(store.logs()) == 1 and store.logs()[0]["rating"] == 3
    at = _page()
    assert int(at.metric[0].value) == due_before - 1
    deck = at.dataframe[0].value  # the deck with each card's next review and recall probability
    assert len(deck) == due_before and set(deck.columns) >= {"prochaine révision", "rappel maintenant"}


def test_a_quiz_on_chapter_27_changes_its_mastery() -> None:
    at = _page()
    at.selectbox(key="quiz-chapter").set_value("27").run()
    item = load_quizzes()["27"][0]
    order = option_order(item, 0)
    if item.kind == "mcq":
        right = next(p for p, i in enumerate(order) if item.options[i].correct)  # type: ignore[index]
        radio = at.radio[0]
        radio.set_value(radio.options[right])
    elif item.kind == "true_false":
        at.radio[0].set_value("vrai" if item.answer else "faux")
    else:
        at.text_input[0].input(str(item.answer))
    next(b for b in at.button if b.label == "Valider").click().run()
    assert not at.exception
    assert any("Juste" in m.value for m in at.markdown)
    ev = EvidenceStore(open_engine(get_settings().db_url)).evidence("27")
    assert [(e.item, e.success) for e in ev] == [(item.id, True)]


def test_a_study_session_is_recorded() -> None:
    at = _page()
    _button(at, "timer-start").click().run()
    _button(at, "timer-stop").click().run()
    assert "1 min enregistrées" in at.success[-1].value
    assert "1 min" in _page().metric[1].value


def test_roadmap_page_shows_a_chapter_mastery() -> None:
    store = EvidenceStore(open_engine(get_settings().db_url))
    for i in range(9):
        store.record("27", "quiz", f"27-q-{i}", True)
    at = AppTest.from_file(str(Path(PAGE).with_name("roadmap.py")), default_timeout=120)
    at.run()
    phase = next(c.phase for c in load_roadmap().chapters if c.number == "27")
    at.selectbox(key="rm_phase").set_value(phase).run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert any(lbl.startswith("Chapitre 27") and "🟢 maîtrisé" in lbl for lbl in labels), labels
