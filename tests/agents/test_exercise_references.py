"""Each exercise's reference ``solution.py`` agrees with our own libraries, ``models/`` and ``finance/``.

The judges (``knowledge/exercises/<id>/tests.py``) compare the learner's code with independent NumPy/pandas
references; this module closes the loop with the code the tutor runs: every reference solution is loaded from
its path (plain Python, no sandbox needed) and compared with its counterpart on seeded random inputs, exactly
where the conventions match and after an explicit, commented alignment where they do not.

Every exercise has a counterpart. Pieces without one, left to the judges alone:
- ``statistiques_descriptives.mode``: ``models.maths.stats`` has no mode (the judge uses ``collections.Counter``).
- ``regression_lineaire.fit_linear_gd``'s trajectory: ``models`` trains through ``models.train``/``optim``;
  only the end point is compared, with ``LinearRegression.fit_closed_form``.
- ``echantillonnage_gpt.softmax_temperature``'s ``ValueError`` for T <= 0: ``GPT.generate`` clamps T to 1e-8.
- The exercises' input validation (``ValueError`` messages) beyond the cases checked below: each side
  validates its own API (e.g. ``finance`` needs >= 30 returns and a VaR level in (0.5, 1)).

The checks live beside the libraries they compare with: ``test_exercise_references_models.py`` and
``test_exercise_references_finance.py``; the registry and the loader in ``tests/helpers/exercise_reference.py``.
"""

from __future__ import annotations

import pytest

import tests.agents.test_exercise_references_finance  # noqa: F401 - registers its checks
import tests.agents.test_exercise_references_models  # noqa: F401 - registers its checks
from tests.helpers.exercise_reference import CHECKS, EXERCISES, load_reference


def test_every_exercise_has_a_reference_check() -> None:
    ids = sorted(p.parent.name for p in EXERCISES.glob("*/solution.py"))
    assert len(ids) >= 16
    assert sorted(CHECKS) == ids, "add a check to CHECKS (or list the exercise in the module docstring)"


@pytest.mark.parametrize("exercise_id", sorted(CHECKS))
def test_reference_agrees_with_our_library(exercise_id: str) -> None:
    CHECKS[exercise_id](load_reference(exercise_id))
