"""Pure maths of the course, written from scratch and independent of the autograd engine.

``linalg`` (vectors, matrices, LU/QR/eigen/SVD, PCA in pure Python), ``calculus`` (numerical derivatives,
gradients, integrals, root finding), ``stats`` (descriptive statistics, special functions, CDFs and
quantiles) and ``distributions`` (distribution objects, tests and intervals built on ``stats``). Imports only
:mod:`models.errors`.
"""

from __future__ import annotations

from models.maths import calculus, distributions, linalg, stats

__all__ = ["calculus", "distributions", "linalg", "stats"]
