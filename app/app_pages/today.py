"""Page: Aujourd'hui — reviews due (with a review session), this week's next items, one quiz to do, a study timer,
time studied this week, the streak and the mastery of the chapters started."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from knowledge.config import get_settings
from knowledge.errors import KnowledgeError
from knowledge.learning.deck import add_chapter
from knowledge.learning.mastery import EvidenceStore
from knowledge.learning.reviews import RatingName, ReviewStore, open_engine
from knowledge.learning.today import today_summary
from knowledge.quizzes.bank import LETTERS, grade, load_quizzes, option_order
from knowledge.roadmap import open_progress

RATINGS: list[tuple[RatingName, str]] = [("again", "À revoir"), ("hard", "Difficile"), ("good", "Bien"),
                                         ("easy", "Facile")]
cfg = get_settings()
state: dict[str, Any] = st.session_state.setdefault("today", {"nonce": uuid.uuid4().hex[:8], "shown": False,
                                                               "quiz": None, "timer": None})
st.title("☀️ Aujourd'hui")


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
    st.error(f"La base de progression ne peut pas être ouverte : {exc}")
    st.stop()

c1, c2, c3 = st.columns(3)
c1.metric("Cartes à revoir", summary.reviews_due)
c2.metric("Étude cette semaine", f"{summary.minutes_this_week} min")
c3.metric("Série", f"{summary.streak_days} jour(s)")

# -- the review session ---------------------------------------------------------------------------------------
st.subheader("Révisions")
due = reviews.cards(due_only=True, limit=1)
if due:
    card = due[0]
    st.markdown(f"**{card.front}**")
    if not state["shown"]:
        if st.button("Voir la réponse", key="reveal"):
            state["shown"] = True
            st.rerun()
    else:
        st.info(card.back)
        cols = st.columns(len(RATINGS))
        for col, (rating, label) in zip(cols, RATINGS, strict=True):
            if col.button(label, key=f"rate-{rating}"):
                try:  # the key makes a double click record one review
                    result = reviews.review(card.id, rating, key=f"{card.id}:{state['nonce']}:{card.due.isoformat()}")
                    if card.source:
                        evidence.record(card.chapter or "", "review", card.id, rating in ("good", "easy"),
                                        key=f"ev:{card.id}:{card.due.isoformat()}")
                    st.session_state["last_review"] = f"Prochaine révision le {result.due:%d/%m/%Y}."
                except KnowledgeError as exc:
                    st.session_state["last_review"] = str(exc)
                state["shown"] = False
                st.rerun()
    if card.retrievability is not None:
        st.caption(f"Probabilité de t'en souvenir maintenant : {card.retrievability:.0%} · prévue le "
                   f"{card.due:%d/%m/%Y}")
else:
    st.success("Aucune carte à revoir maintenant.")
if st.session_state.get("last_review"):
    st.caption(st.session_state["last_review"])
deck = reviews.cards()
if deck:
    with st.expander(f"Mon paquet ({len(deck)} cartes)"):
        st.dataframe([{"question": c.front, "chapitre": c.chapter or "", "prochaine révision": f"{c.due:%d/%m/%Y}",
                       "rappel maintenant": "—" if c.retrievability is None else f"{c.retrievability:.0%}"}
                      for c in deck], hide_index=True)
with st.expander("Ajouter les fiches d'un chapitre à mes révisions"):
    chapter = st.selectbox("Chapitre", [f"{n:02d}" for n in range(45)], key="add-chapter")
    if st.button("Ajouter", key="add-cards"):
        n = add_chapter(reviews, chapter)
        st.success(f"{n} fiches du chapitre {chapter} sont dans ton paquet.")

# -- the plan and one thing to practise -----------------------------------------------------------------------
st.subheader("Cette semaine")
for item in summary.next_items:
    st.markdown(f"- {item}")
if not summary.next_items:
    st.caption("Ta feuille de route est terminée. Bravo !")

st.subheader("Quiz")
bank = load_quizzes()
default = summary.suggestion.chapter if summary.suggestion else "00"
if summary.suggestion:
    st.caption(summary.suggestion.reason)
chapters = sorted(bank)
quiz_chapter = st.selectbox("Chapitre du quiz", chapters, index=chapters.index(default) if default in chapters else 0,
                            key="quiz-chapter")
quiz = state["quiz"]
if quiz is None or quiz["chapter"] != quiz_chapter:
    quiz = state["quiz"] = {"chapter": quiz_chapter, "i": 0, "score": 0, "feedback": None}
items = bank.get(quiz_chapter, ())
if quiz["i"] < len(items):
    item = items[quiz["i"]]
    st.markdown(f"**Question {quiz['i'] + 1}/{len(items)}** — {item.prompt.fr}")
    order = option_order(item, quiz["i"])
    with st.form(key=f"quiz-{quiz_chapter}-{quiz['i']}"):
        if item.kind == "mcq" and item.options:
            labels = [f"{LETTERS[p]}. {item.options[i].text.fr}" for p, i in enumerate(order)]
            choice = st.radio("Ta réponse", labels, index=None)
            answer: str = choice[0] if choice else ""
        elif item.kind == "true_false":
            tf = st.radio("Ta réponse", ["vrai", "faux"], index=None, horizontal=True)
            answer = tf or ""
        else:
            answer = st.text_input("Ta réponse (un nombre)")
        submitted = st.form_submit_button("Valider")
    if submitted:
        try:
            graded = grade(item, answer, "fr", order=order)
        except KnowledgeError as exc:
            st.warning(str(exc))
        else:
            evidence.record(quiz_chapter, "quiz", item.id, graded.correct,
                            key=f"quiz:{state['nonce']}:{item.id}:{quiz['i']}")
            quiz["score"] += graded.correct
            quiz["feedback"] = ("✔ Juste. " if graded.correct else f"✘ Réponse attendue : {graded.expected}. ") + \
                graded.feedback
            quiz["i"] += 1
            st.rerun()
else:
    st.success(f"Quiz terminé : {quiz['score']}/{len(items)}.")
    if st.button("Recommencer", key="quiz-restart"):
        state["quiz"] = None
        st.rerun()
if quiz.get("feedback"):
    st.markdown(quiz["feedback"])

# -- mastery and the study timer -------------------------------------------------------------------------------
if summary.mastery:
    st.subheader("Maîtrise des chapitres commencés")
    st.dataframe([{"chapitre": c, "maîtrise": f"{m.score:.0%}", "niveau": m.level} for c, m in
                  sorted(summary.mastery.items())], hide_index=True)

st.subheader("Séance d'étude")
if state["timer"] is None:
    if st.button("Démarrer une séance", key="timer-start"):
        state["timer"] = time.time()
        st.rerun()
else:
    minutes = int((time.time() - state["timer"]) // 60)
    st.caption(f"Séance en cours depuis {minutes} min (commencée à "
               f"{datetime.fromtimestamp(state['timer'], UTC):%H:%M} UTC).")
    if st.button("Terminer la séance", key="timer-stop"):
        try:
            with open_progress(cfg) as store:
                store.log_session(max(1, minutes), chapter=quiz_chapter)
            st.success(f"{max(1, minutes)} min enregistrées.")
        except KnowledgeError as exc:
            st.error(str(exc))
        state["timer"] = None
