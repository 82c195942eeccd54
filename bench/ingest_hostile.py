"""Peak memory (RSS) of reading, redacting and chunking each file of a hostile corpus, one process per file.

    python bench/ingest_hostile.py            # files just under the default QT_MAX_FILE_MB
    python bench/ingest_hostile.py --mb 5     # smaller files, faster

The embedding step is left out: after chunking, every text sent to the embedder is under the hard cap
(``knowledge.chunking.hard_cap``), so its cost no longer grows with the file. Issue 15 asks for < 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MEASURE = """
import resource, sys
from pathlib import Path
from knowledge.chunking import chunk_markdown
from knowledge.errors import IngestError
from knowledge.loaders import load_file
from knowledge.redact import redact
path = Path(sys.argv[1])
try:
    doc = load_file(path, max_bytes=int(float(sys.argv[2]) * 1e6))
    text, _ = redact(doc.text)
    n = len(chunk_markdown(text, size=1200, overlap=150, title="t"))
    outcome = f"{n} chunks"
except IngestError as exc:
    outcome = f"skipped: {exc}"[:80]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, outcome)
"""


def corpus(folder: Path, mb: float) -> list[Path]:
    n = int(mb * 1e6 * 0.97)
    files = {
        "paragraph.md": ("mot " * 20 + "\n") * (n // 81),
        "single_line.md": "x" * n,
        "nested.md": ("> " * 2000 + "- " * 2000 + "texte\n") * (n // 8006),
        "code_block.md": "```python\n" + "x = 1\n" * (n // 6) + "```\n",
        "heading.md": "# " + "a " * (n // 2 - 2),
        "notebook.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": ["y = 2\n"] * (n // 12)}],
                                      "metadata": None}),
    }
    out = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        out.append(folder / name)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=19.5, help="size of each file in MB")
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    with tempfile.TemporaryDirectory() as tmp:
        for path in corpus(Path(tmp), args.mb):
            done = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(args.mb + 1)], env=env,
                                  capture_output=True, text=True, check=False)
            line = done.stdout.strip() or done.stderr.strip().splitlines()[-1]
            print(f"{path.name:16} {path.stat().st_size / 1e6:6.1f} MB  peak RSS {line.split(' ', 1)[0]:>6} MiB  "
                  f"{line.split(' ', 1)[-1]}")


if __name__ == "__main__":
    main()
