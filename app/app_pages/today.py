"""Page: Aujourd'hui — reviews due (with a review session), this week's next items, one quiz to do, a study timer,
time studied this week, the streak and the mastery of the chapters started."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime
from typing import Any

import streamlit as st

from app.i18n import current_language, t
from knowledge.config import get_settings
from knowledge.errors import KnowledgeError
from knowledge.learning.deck import add_chapter
from knowledge.learning.mastery import EvidenceStore
from knowledge.learning.reviews import RatingName, ReviewStore, open_engine
from knowledge.learning.today import today_summary
from knowledge.quizzes.bank import LETTERS, grade, load_quizzes, option_order
from knowledge.roadmap import open_progress

RATINGS: tuple[RatingName, ...] = ("again", "hard", "good", "easy")
log = logging.getLogger(__name__)
LEVELS = {"maîtrisé": "mastered", "en cours": "in_progress", "fragile": "fragile"}
cfg = get_settings()
lang = current_language()
state: dict[str, Any] = st.session_state.setdefault("today", {"nonce": uuid.uuid4().hex[:8], "shown": False,
                                                               "quiz": None, "timer": None})
st.title("☀️ " + t("today.title"))


@st.cache_resource
def _engine(url: str) -> Any:
    return open_engine(url)


def _stores() -> tuple[ReviewStore, EvidenceStore]:
    engine = _engine(cfg.db_url)
    return (ReviewStore(cfg.db_url, learner=cfg.learner, desired_retention=cfg.desired_retention, engine=engine),
            EvidenceStore(engine, learner=cfg.learner))


try:
    reviews, evidence = _stores()
    summary = today_summary(cfg)
except KnowledgeError as exc:
    log.warning("today page: %s", exc)
    st.error(t("today.db_error"))
    st.stop()

c1, c2, c3 = st.columns(3)
c1.metric(t("today.due"), summary.reviews_due)
c2.metric(t("today.week"), f"{summary.minutes_this_week} min")
c3.metric(t("today.streak"), t("today.days", n=summary.streak_days))

# -- the review session ---------------------------------------------------------------------------------------
st.subheader(t("today.reviews"))
due = reviews.cards(due_only=True, limit=1)
if due:
    card = due[0]
    st.markdown(f"**{card.front}**")
    if not state["shown"]:
        if st.button(t("today.reveal"), key="reveal"):
            state["shown"] = True
            st.rerun()
    else:
        st.info(card.back)
        cols = st.columns(len(RATINGS))
        for col, rating in zip(cols, RATINGS, strict=True):
            if col.button(t(f"today.rate_{rating}"), key=f"rate-{rating}"):
                try:  # the key makes a double click record one review
                    result = reviews.review(card.id, rating, key=f"{card.id}:{state['nonce']}:{card.due.isoformat()}")
                    if card.source:
                        evidence.record(card.chapter or "", "review", card.id, rating in ("good", "easy"),
                                        key=f"ev:{card.id}:{card.due.isoformat()}")
                    st.session_state["last_review"] = t("today.next_review", due=f"{result.due:%d/%m/%Y}")
                except KnowledgeError as exc:
                    log.warning("review not saved: %s", exc)
                    st.session_state["last_review"] = t("today.review_failed")
                state["shown"] = False
                st.rerun()
    if card.retrievability is not None:
        st.caption(t("today.recall", p=f"{card.retrievability:.0%}", due=f"{card.due:%d/%m/%Y}"))
else:
    st.success(t("today.nothing_due"))
if st.session_state.get("last_review"):
    st.caption(st.session_state["last_review"])
deck = reviews.cards()
if deck:
    with st.expander(t("today.deck", n=len(deck))):
        st.dataframe([{t("today.col_question"): c.front, t("today.col_chapter"): c.chapter or "",
                       t("today.col_next"): f"{c.due:%d/%m/%Y}",
                       t("today.col_recall"): "—" if c.retrievability is None else f"{c.retrievability:.0%}"}
                      for c in deck], hide_index=True)
with st.expander(t("today.add_cards")):
    chapter = st.selectbox(t("today.chapter"), [f"{n:02d}" for n in range(45)], key="add-chapter")
    if st.button(t("today.add"), key="add-cards"):
        n = add_chapter(reviews, chapter)
        st.success(t("today.added", n=n, chapter=chapter))

# -- the plan and one thing to practise -----------------------------------------------------------------------
st.subheader(t("today.this_week"))
for item in summary.next_items:
    st.markdown(f"- {item}")
if not summary.next_items:
    st.caption(t("today.roadmap_done"))

st.subheader(t("today.quiz"))
bank = load_quizzes()
default = summary.suggestion.chapter if summary.suggestion else "00"
if summary.suggestion:
    st.caption(summary.suggestion.reason)
chapters = sorted(bank)
quiz_chapter = st.selectbox(t("today.quiz_chapter"), chapters,
                            index=chapters.index(default) if default in chapters else 0,
                            key="quiz-chapter")
quiz = state["quiz"]
if quiz is None or quiz["chapter"] != quiz_chapter:
    quiz = state["quiz"] = {"chapter": quiz_chapter, "i": 0, "score": 0, "feedback": None}
items = bank.get(quiz_chapter, ())
if quiz["i"] < len(items):
    item = items[quiz["i"]]
    st.markdown(f"**Question {quiz['i'] + 1}/{len(items)}** — {item.prompt.get(lang)}")
    order = option_order(item, quiz["i"])
    with st.form(key=f"quiz-{quiz_chapter}-{quiz['i']}"):
        if item.kind == "mcq" and item.options:
            labels = [f"{LETTERS[p]}. {item.options[i].text.get(lang)}" for p, i in enumerate(order)]
            choice = st.radio(t("today.answer"), labels, index=None)
            answer: str = choice[0] if choice else ""
        elif item.kind == "true_false":
            tf = st.radio(t("today.answer"), [t("today.true"), t("today.false")], index=None, horizontal=True)
            answer = tf or ""
        else:
            answer = st.text_input(t("today.answer_number"))
        submitted = st.form_submit_button(t("today.submit"))
    if submitted:
        try:
            graded = grade(item, answer, lang, order=order)
        except KnowledgeError as exc:
            log.info("quiz answer refused: %s", exc)
            st.warning(t("today.bad_answer"))
        else:
            evidence.record(quiz_chapter, "quiz", item.id, graded.correct,
                            key=f"quiz:{state['nonce']}:{item.id}:{quiz['i']}")
            quiz["score"] += graded.correct
            verdict = t("today.right") if graded.correct else t("today.wrong", expected=graded.expected)
            quiz["feedback"] = f"{verdict} {graded.feedback}"
            quiz["i"] += 1
            st.rerun()
else:
    st.success(t("today.quiz_done", score=quiz["score"], n=len(items)))
    if st.button(t("today.restart"), key="quiz-restart"):
        state["quiz"] = None
        st.rerun()
if quiz.get("feedback"):
    st.markdown(quiz["feedback"])

# -- mastery and the study timer -------------------------------------------------------------------------------
if summary.mastery:
    st.subheader(t("today.mastery"))
    st.dataframe([{t("today.col_chapter"): c, t("today.col_mastery"): f"{m.score:.0%}",
                   t("today.col_level"): t(f"today.level_{LEVELS.get(m.level, 'fragile')}")}
                  for c, m in sorted(summary.mastery.items())], hide_index=True)

st.subheader(t("today.session"))
if state["timer"] is None:
    if st.button(t("today.start"), key="timer-start"):
        state["timer"] = time.time()
        st.rerun()
else:
    minutes = int((time.time() - state["timer"]) // 60)
    st.caption(t("today.running", minutes=minutes, at=f"{datetime.fromtimestamp(state['timer']).astimezone():%H:%M}"))
    if st.button(t("today.stop"), key="timer-stop"):
        try:
            with open_progress(cfg) as store:
                store.log_session(max(1, minutes), chapter=quiz_chapter)
            st.success(t("today.logged", minutes=max(1, minutes)))
        except KnowledgeError as exc:
            log.warning("study session not saved: %s", exc)
            st.error(t("today.session_failed"))
        state["timer"] = None
