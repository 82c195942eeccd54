"""The learning loop at scale: opening "Aujourd'hui" with 2,000 flashcards and 20,000 review logs, and recording
one review (SQLite, medians of repeated calls in one run).

    python bench/learning.py [--cards 2000] [--logs 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--logs", type=int, default=20000)
    args = parser.parse_args()
    os.environ["QT_HOME"] = tempfile.mkdtemp(prefix="qt-bench-learning-")
    from sqlalchemy import insert

    from knowledge.config import get_settings
    from knowledge.learning.reviews import flashcards_t, fsrs_t, logs_t, open_reviews
    from knowledge.learning.today import today_summary

    settings = get_settings()
    store = open_reviews(settings)
    t0 = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    from fsrs import Card

    state = Card(due=datetime(2026, 1, 1, tzinfo=UTC)).to_json()
    with store.engine.begin() as conn:  # bulk-load the deck and its history
        conn.execute(insert(flashcards_t), [
            {"learner": "default", "id": f"own:{i}", "front": f"Q{i}", "back": "A", "chapter": f"{i % 45:02d}",
             "source": "", "created_at": t0, "deleted": False} for i in range(args.cards)])
        conn.execute(insert(fsrs_t), [
            {"learner": "default", "card": f"own:{i}", "state": state, "due": t0 + timedelta(days=i % 30)}
            for i in range(args.cards)])
        conn.execute(insert(logs_t), [
            {"learner": "default", "card": f"own:{i % args.cards}", "key": uuid.uuid4().hex, "rating": 3,
             "reviewed_at": t0 - timedelta(hours=i)} for i in range(args.logs)])
    today = []
    for _ in range(7):
        s = time.perf_counter()
        today_summary(settings, now=datetime(2026, 1, 15, tzinfo=UTC))
        today.append(time.perf_counter() - s)
    review = []
    for i in range(30):
        s = time.perf_counter()
        store.review(f"own:{i}", "good", at=datetime(2026, 1, 15, tzinfo=UTC))
        review.append(time.perf_counter() - s)
    print(f"\n### Learning loop ({args.cards} cards, {args.logs} review logs, SQLite)\n")
    print("| operation | median | max |")
    print("|---|---:|---:|")
    med, worst = statistics.median(today) * 1000, max(today) * 1000
    print(f"| open Aujourd'hui (today_summary) | {med:.0f} ms | {worst:.0f} ms |")
    print(f"| record one review | {statistics.median(review) * 1000:.1f} ms | {max(review) * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
