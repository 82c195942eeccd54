"""``quant-tutor review``, ``quiz CHAPTER``, ``export anki FILE`` and ``today``: the learning loop in a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import emit_json, fail, settings_or_fail, user_errors

app = typer.Typer()
export_app = typer.Typer(help="Export the learner's flashcards.", no_args_is_help=True)
RATING_KEYS = {"1": "again", "a": "again", "2": "hard", "h": "hard", "3": "good", "g": "good", "": "good",
               "4": "easy", "e": "easy"}


@app.command("review")
def review_cmd(
    add_chapter: Annotated[str | None, typer.Option("--add-chapter", help="Add a chapter's cards to the deck first.")]
    = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many cards.")] = 20,
) -> None:
    """Review the flashcards that are due (FSRS-6): see the question, recall, reveal, rate."""
    from knowledge.learning.deck import add_chapter as add_cards
    from knowledge.learning.reviews import open_reviews

    settings = settings_or_fail()
    with user_errors():
        store = open_reviews(settings)
        if add_chapter:
            n = add_cards(store, add_chapter.zfill(2))
            if n == 0:
                fail(f"le chapitre {add_chapter} n'a pas de fiches ; choisis un chapitre de 00 à 44")
            typer.echo(f"{n} fiches du chapitre {add_chapter.zfill(2)} dans ton paquet.")
        due = store.cards(due_only=True, limit=limit)
    if not due:
        typer.echo("Aucune carte à revoir maintenant. Ajoute un chapitre : quant-tutor review --add-chapter 27")
        return
    for i, card in enumerate(due, 1):
        typer.echo(f"\n[{i}/{len(due)}] {card.front}")
        typer.prompt("(Entrée pour voir la réponse)", default="", show_default=False)
        typer.echo(card.back)
        key = typer.prompt("Note : 1 à revoir · 2 difficile · 3 bien · 4 facile", default="3").strip().lower()
        while key not in RATING_KEYS:
            key = typer.prompt("Tape 1, 2, 3 ou 4", default="3").strip().lower()
        with user_errors():
            result = store.review(card.id, RATING_KEYS[key])  # type: ignore[arg-type]
        typer.echo(f"Prochaine révision : {result.due:%Y-%m-%d %H:%M} (dans {result.interval_days:.1f} j)")
    typer.echo(f"\nSéance terminée : {len(due)} cartes revues.")


@app.command("quiz")
def quiz_cmd(
    chapter: Annotated[str, typer.Argument(help="Chapter number, 00 to 44.")],
    n: Annotated[int, typer.Option("--n", min=1, help="How many questions.")] = 8,
    as_json: Annotated[bool, typer.Option("--json", help="Print the items as JSON (no questions asked).")] = False,
) -> None:
    """A quiz on one chapter: each answer graded and explained; results count towards the chapter's mastery."""
    from knowledge.learning.mastery import EvidenceStore
    from knowledge.learning.reviews import open_engine
    from knowledge.quizzes.bank import LETTERS, grade, load_quizzes, option_order

    settings = settings_or_fail()
    key = chapter.strip().zfill(2)
    items = load_quizzes().get(key)
    if not items:
        fail(f"pas de quiz pour le chapitre {chapter!r} ; choisis un chapitre de 00 à 44")
    items = items[:n]
    if as_json:
        emit_json([item.model_dump(exclude={"check"}) for item in items])
        return
    with user_errors():
        evidence = EvidenceStore(open_engine(settings.db_url), learner=settings.learner)
    score = 0
    for i, item in enumerate(items, 1):
        typer.echo(f"\n[{i}/{len(items)}] {item.prompt.fr}")
        order = option_order(item, i)
        if item.kind == "mcq" and item.options:
            for pos, idx in enumerate(order):
                typer.echo(f"  {LETTERS[pos]}. {item.options[idx].text.fr}")
        elif item.kind == "true_false":
            typer.echo("  (vrai / faux)")
        while True:
            answer = typer.prompt("Ta réponse")
            try:
                graded = grade(item, answer, "fr", order=order)
                break
            except Exception as exc:  # noqa: BLE001 - a QuizInputError says what to type; ask again
                typer.echo(str(exc))
        score += graded.correct
        evidence.record(key, "quiz", item.id, graded.correct)
        typer.echo(("✔ Juste. " if graded.correct else f"✘ Réponse attendue : {graded.expected}. ") + graded.feedback)
    typer.echo(f"\nScore : {score}/{len(items)}")


@export_app.command("anki")
def export_anki_cmd(file: Annotated[Path, typer.Argument(help="The .apkg file to write.")]) -> None:
    """Write the learner's flashcards to an Anki package (.apkg)."""
    from knowledge.learning.anki import export_anki
    from knowledge.learning.reviews import open_reviews

    settings = settings_or_fail()
    with user_errors():
        n = export_anki(open_reviews(settings), file)
    typer.echo(f"{n} cartes écrites dans {file}")


@app.command("today")
def today_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False) -> None:
    """What to do today: reviews due, the next roadmap items, one thing to practise, time and streak."""
    from knowledge.learning.today import today_summary

    settings = settings_or_fail()
    with user_errors():
        today = today_summary(settings)
    if as_json:
        emit_json(today.to_dict())
        return
    typer.echo(f"Cartes à revoir : {today.reviews_due}")
    typer.echo(f"Cette semaine : {today.minutes_this_week} min d'étude · série : {today.streak_days} jour(s)")
    for item in today.next_items:
        typer.echo(f"  ☐ {item}")
    if today.suggestion:
        typer.echo(f"À faire : {today.suggestion.reason} (quant-tutor quiz {today.suggestion.chapter})")
