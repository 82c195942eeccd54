"""The roadmap file: its format, stable item ids, where it lives, reading it and exporting it with marks.

Format (the learner's own, see ``knowledge/roadmap.md``)::

    # Title
    ## Progression Globale
    - [ ] **Phase 0**: Fondations (2 semaines)              -> id "P0"
    ## 🏁 Phase 0: Fondations (2 semaines)
    ### Objectifs / ### Durée estimée (2 semaines (10-15 heures/semaine)) / ### Todo Liste
    #### Chapitre 00: Jupyter Notebooks
    - [ ] Qu'est-ce qu'un notebook ?                         -> id "00.1"
    - [ ] **Exercice**: Premier notebook → `envs/phase_0/`   -> id "00.7", the chapter's Project
    ### Critères de Validation
    - [ ] Capable de ...                                     -> id "P0.V1"
    ### Projets Capstone (au choix)
    #### Option 1: Financial AI Assistant
    - [ ] RAG sur rapports financiers                        -> id "C1.1"
    ## Conseils / ### Rythme recommandé
    - **Débutant**: 10-15h/semaine (18 mois)                 -> Pace("beginner", (10, 15))
    ## ✅ Tracker de Progression
    **Date de début**: ___________                           -> TrackerField("start_date", value=None)
    ## Certification ... ### Portfolio minimum
    - [ ] 10+ projets                                        -> id "S2.1"

Id scheme (stable while the file's structure is unchanged):

- ``NN.k``: k-th checkbox of chapter NN (1-based, file order, nested ones and the Exercice/Projet line
  included);
- ``P<n>``: the phase's line in the overview; ``P<n>.V<k>``: k-th validation criterion of phase n;
- ``C<o>.<k>``: k-th item of capstone option o (o is the option's own number);
- ``S<g>.<k>``: k-th item of the g-th other titled checkbox list (certifications, portfolio, ...).

Progress lives in :mod:`knowledge.roadmap.store`; the imported roadmap is ``$QT_HOME/roadmap.md``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Mapping
from pathlib import Path

from knowledge.config import Settings, get_settings
from knowledge.errors import RoadmapError
from knowledge.roadmap.model import Roadmap
from knowledge.roadmap.parse import parse_roadmap
from knowledge.textio import read_text

__all__ = ["SHIPPED_ROADMAP", "export_markdown", "load_roadmap", "read_roadmap", "roadmap_path"]

log = logging.getLogger(__name__)

SHIPPED_ROADMAP = Path(__file__).resolve().parents[1] / "roadmap.md"
_MARK = re.compile(r"^(\s*[-*+]\s+\[)[ xX✓✔](\].*)$")


def read_roadmap(path: str | Path) -> Roadmap:
    """Parse a roadmap file in any encoding (UTF-8, cp1252, mojibake).

    Raises
    ------
    RoadmapError
        When the file is missing, binary or not in the roadmap format.
    """
    p = Path(path)
    if not p.is_file():
        raise RoadmapError(f"{p}: no such file; give the path of your roadmap Markdown file")
    try:
        text = read_text(p)
    except Exception as exc:  # IngestError for binary files
        raise RoadmapError(f"{p}: cannot read it as text ({exc}); save it as UTF-8 Markdown") from exc
    return parse_roadmap(text, name=str(p))


def roadmap_path(settings: Settings | None = None) -> Path:
    """Where the learner's imported roadmap is kept: ``$QT_HOME/roadmap.md`` (``roadmap-<learner>.md``)."""
    s = settings or get_settings()
    return s.home / ("roadmap.md" if s.learner == "default" else f"roadmap-{s.learner}.md")


def load_roadmap(settings: Settings | None = None) -> Roadmap:
    """The learner's imported roadmap if any, else the shipped ``knowledge/roadmap.md``."""
    path = roadmap_path(settings)
    if path.is_file():
        return read_roadmap(path)
    return read_roadmap(SHIPPED_ROADMAP)


def export_markdown(
    roadmap: Roadmap,
    checked: Collection[str],
    tracker: Mapping[str, str] | None = None,
) -> str:
    """The roadmap's own text with ``[x]`` on checked items and the tracker filled in.

    Only checkbox marks and tracker values change, so comments, resources and code blocks are kept verbatim
    and re-importing the result gives an equal :class:`Roadmap` with the same marks.
    """
    lines = roadmap.source.split("\n")
    done = set(checked)
    for it in roadmap.items():
        if 0 <= it.line < len(lines):
            mark = "x" if it.id in done else " "
            lines[it.line] = _MARK.sub(rf"\g<1>{mark}\g<2>", lines[it.line], count=1)
    values = dict(tracker or {})
    values.setdefault("projects_done", str(sum(1 for p in roadmap.projects if p.item_id in done)))
    for f in roadmap.tracker:
        if not 0 <= f.line < len(lines):
            continue
        value = values.get(f.key) or f.value or "___________"
        if f.total is not None:
            value = f"{values.get(f.key) or '___'} / {f.total}"
        lines[f.line] = f"**{f.label}**: {value}"
    return "\n".join(lines)
