"""Reviews with FSRS-6 (asserted against the fsrs package), mastery per chapter, authored quiz grading."""

from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from knowledge.errors import ProgressError, QuizInputError
from knowledge.learning.mastery import Evidence, EvidenceStore, mastery_of
from knowledge.learning.reviews import ReviewStore, open_engine
from knowledge.quizzes.bank import grade, load_quizzes, parse_number
from knowledge.quizzes.schema import QuizItem

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _store(tmp_path: Path, learner: str = "default") -> ReviewStore:
    return ReviewStore(f"sqlite:///{tmp_path / 'progress.db'}", learner=learner)


def test_intervals_are_those_of_the_fsrs_package(tmp_path: Path) -> None:
    store = _store(tmp_path)
    cid = store.add("Pourquoi √d_k ?", "Pour que le softmax ne sature pas.", chapter="27", at=T0)
    reference = Card(due=T0)
    scheduler = Scheduler(desired_retention=0.9, enable_fuzzing=False)
    when = T0
    for rating in ("good", "good", "good", "again", "good"):
        ours = store.review(cid, rating, at=when)  # type: ignore[arg-type]
        reference, _ = scheduler.review_card(reference, Rating[rating.capitalize()], review_datetime=when)
        assert ours.due == reference.due
        when = reference.due
    state = store.state(cid)
    assert state.stability == pytest.approx(reference.stability)


def test_good_grows_the_interval_and_again_shrinks_it(tmp_path: Path) -> None:
    store = _store(tmp_path)
    cid = store.add("Q", "A", at=T0)
    intervals, when = [], T0
    for _ in range(4):
        r = store.review(cid, "good", at=when)
        intervals.append(r.interval_days)
        when = r.due
    assert intervals == sorted(intervals) and intervals[-1] > intervals[-2] > 1
    again = store.review(cid, "again", at=when)
    assert again.interval_days < intervals[-1]


def test_a_double_click_records_one_review(tmp_path: Path) -> None:
    store = _store(tmp_path)
    cid = store.add("Q", "A", at=T0)
    first = store.review(cid, "good", at=T0, key="click-1")
    second = store.review(cid, "good", at=T0, key="click-1")
    assert second.duplicate and second.due == first.due and len(store.logs(cid)) == 1


def test_a_clock_that_goes_backwards_never_reschedules_earlier(tmp_path: Path) -> None:
    store = _store(tmp_path)
    cid = store.add("Q", "A", at=T0)
    first = store.review(cid, "good", at=T0 + timedelta(days=1))
    back = store.review(cid, "good", at=T0)  # the clock jumped back a day
    assert back.due >= first.due
    assert store.logs(cid)[-1]["reviewed_at"].replace(tzinfo=UTC) == T0 + timedelta(days=1)


def test_a_deleted_card_is_reported_not_a_crash(tmp_path: Path) -> None:
    store = _store(tmp_path)
    cid = store.add("Q", "A", at=T0)
    assert store.delete(cid)
    with pytest.raises(ProgressError, match="no longer exists"):
        store.review(cid, "good")
    assert store.due_count(T0 + timedelta(days=1)) == 0


def test_retrievability_and_due_date_are_shown(tmp_path: Path) -> None:
    store = _store(tmp_path)
    cid = store.add("Q", "A", at=T0)
    assert store.cards(now=T0)[0].retrievability is None
    r = store.review(cid, "good", at=T0)
    later = store.cards(now=r.due + timedelta(days=30))[0]
    assert 0 < later.retrievability < 1 and later.due == r.due  # type: ignore[operator]


def test_empty_flashcard_and_unknown_rating_say_what_to_fix(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with pytest.raises(ProgressError, match="fill both"):
        store.add("  ", "A")
    cid = store.add("Q", "A")
    with pytest.raises(ProgressError, match="again, hard, good or easy"):
        store.review(cid, "bien")  # type: ignore[arg-type]


def _review_many(url: str, learner: str, n: int) -> None:
    store = ReviewStore(url, learner=learner)
    for i in range(n):
        cid = store.add(f"Q{i}", "A", card_id=f"own:{learner}-{i}")
        store.review(cid, "good", key=f"{learner}-{i}")


def test_two_processes_reviewing_at_once_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'progress.db'}"
    ReviewStore(url)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_review_many, args=(url, "default", 15)) for _ in range(1)]
    procs.append(ctx.Process(target=_review_many, args=(url, "other", 15)))
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert len(ReviewStore(url).logs()) == 15 and len(ReviewStore(url, learner="other").logs()) == 15


def test_few_lucky_answers_do_not_make_mastery() -> None:
    lucky = [Evidence("27", "quiz", f"q{i}", True, T0) for i in range(3)]
    assert mastery_of(lucky, "27", T0).level == "en cours"
    solid = [Evidence("27", "quiz", f"q{i}", True, T0) for i in range(9)]
    assert mastery_of(solid, "27", T0).level == "maîtrisé"
    assert mastery_of(solid, "27", T0 + timedelta(days=365)).level != "maîtrisé"  # old evidence fades
    assert mastery_of([], "27", T0).level == "non commencé"
    failed = [Evidence("27", "quiz", f"q{i}", False, T0) for i in range(3)]
    assert mastery_of(failed, "27", T0).level == "fragile"


def test_mastery_is_the_posterior_mean() -> None:
    ev = [Evidence("05", "quiz", "a", True, T0), Evidence("05", "exercise", "b", False, T0 - timedelta(days=45))]
    m = mastery_of(ev, "05", T0)
    assert m.score == pytest.approx((1 + 1) / (1 + 2 + 1 + 0.5), abs=1e-4) and m.evidence == pytest.approx(1.5)


def test_evidence_is_durable_and_idempotent(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'progress.db'}")
    store = EvidenceStore(engine)
    assert store.record("27", "quiz", "27-q-a", True, key="k")
    assert not store.record("27", "quiz", "27-q-a", True, key="k")
    again = EvidenceStore(open_engine(f"sqlite:///{tmp_path / 'progress.db'}"))
    assert [e.item for e in again.evidence("27")] == ["27-q-a"]


ITEM_MCQ = QuizItem.model_validate({
    "id": "27-q-x", "kind": "mcq", "section": "S", "prompt": {"fr": "?", "en": "?"},
    "options": [{"text": {"fr": "a", "en": "a"}, "correct": True, "why": {"fr": "oui", "en": "yes"}},
                {"text": {"fr": "b", "en": "b"}, "why": {"fr": "non", "en": "no"}},
                {"text": {"fr": "c", "en": "c"}, "why": {"fr": "non c", "en": "no c"}}]})
ITEM_NUM = QuizItem.model_validate({
    "id": "27-q-n", "kind": "numeric", "section": "S", "prompt": {"fr": "?", "en": "?"}, "answer": 64.0,
    "tolerance": 0.5, "explanation": {"fr": "512/8", "en": "512/8"}, "check": "assert answer == 64"})


def test_grading_each_kind_explains() -> None:
    wrong = grade(ITEM_MCQ, "c")
    assert not wrong.correct and wrong.feedback == "non c" and wrong.expected == "A. a"
    assert grade(ITEM_MCQ, 0).correct and grade(ITEM_NUM, "64,2").correct and not grade(ITEM_NUM, "65").correct
    with pytest.raises(QuizInputError, match="lettre"):
        grade(ITEM_MCQ, "Z")
    with pytest.raises(QuizInputError, match="nombre"):
        grade(ITEM_NUM, "soixante")
    assert parse_number("5 %") == 5.0 and parse_number("−0,2") == -0.2


def test_every_chapter_has_its_checked_quiz() -> None:
    from knowledge.quizzes.lint import QUIZ_DIR, lint_quiz_files, run_quiz_check

    issues = lint_quiz_files(sorted(QUIZ_DIR.glob("*.yaml")))
    assert not issues, "\n".join(map(str, issues[:20]))
    bank = load_quizzes()
    assert sorted(bank) == [f"{n:02d}" for n in range(45)]
    for items in bank.values():
        assert len(items) >= 8
        for item in items:
            assert run_quiz_check(item) is None, item.id
            if item.kind == "numeric":  # the stated answer is graded right, a far one wrong
                assert grade(item, str(item.answer)).correct


def test_shown_options_are_shuffled_and_graded_as_shown() -> None:
    from knowledge.quizzes.bank import option_order

    positions = set()
    for seed in range(12):
        order = option_order(ITEM_MCQ, seed)
        assert sorted(order) == [0, 1, 2]
        right = order.index(0)
        positions.add(right)
        assert grade(ITEM_MCQ, "ABC"[right], order=order).correct
        assert not grade(ITEM_MCQ, "ABC"[(right + 1) % 3], order=order).correct
    assert len(positions) > 1
