"""First render of every page (AppTest, server side) and the Chat page's first answer, with the course ingested.

    python bench/pages.py            # median of 3 first renders per page, in a temporary QT_HOME

A first render is a fresh AppTest session running the page script once (caches warm after the first page, as in
a running server). The chat figure is the time from sending a concept question to the answer being on the page.
Targets (issue 13): each page ≤ 1.5 s, the chat's first text ≤ 1.5 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
PAGES = Path(__file__).resolve().parents[1] / "app" / "app_pages"


def main() -> None:
    os.environ["QT_HOME"] = tempfile.mkdtemp(prefix="qt-bench-pages-")
    from streamlit.testing.v1 import AppTest

    from knowledge.ingest import ingest

    ingest(progress=False)
    AppTest.from_file(str(PAGES / "today.py"), default_timeout=300).run()  # warm the shared caches once
    print("| page | first render, median of 3 (s) |\n|---|---:|")
    for page in sorted(PAGES.glob("*.py")):
        times = []
        for _ in range(3):
            t = time.perf_counter()
            at = AppTest.from_file(str(page), default_timeout=300).run()
            times.append(time.perf_counter() - t)
            if at.exception:
                print(f"| {page.stem} | error: {at.exception[0].message[:60]} |")
                break
        else:
            print(f"| {page.stem} | {statistics.median(times):.2f} |")
    at = AppTest.from_file(str(PAGES / "chat.py"), default_timeout=300).run()
    at.chat_input[0].set_value("pk on divise par racine de d_k dans l'attention ?").run()  # warm the card index
    times = []
    for question in ("c'est quoi la VaR ?", "what is layer norm?", "pourquoi le warmup ?"):
        t = time.perf_counter()
        at.chat_input[0].set_value(question).run()
        times.append(time.perf_counter() - t)
    print(f"\nChat, question sent to answer shown: median {statistics.median(times):.2f} s "
          f"(max {max(times):.2f} s)")


if __name__ == "__main__":
    main()
