"""Linear algebra in pure Python (no NumPy): what ``numpy.linalg`` does, written out.

Gauss–Jordan elimination with partial pivoting (Golub & Van Loan, *Matrix Computations*, §3.4) gives the
determinant, inverse, solve and rank; the cyclic Jacobi method (Jacobi, 1846) diagonalises symmetric matrices;
the QR algorithm (Francis, 1961) finds the eigenvalues of general matrices; SVD and PCA follow from the
symmetric eigen-decomposition of :math:`A^\\top A` and of the covariance matrix.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from models.errors import ConvergenceError, ShapeError, SingularMatrixError

EPS = 1e-12


class Vector:
    """A column of floats with +, −, scalar product, ``dot``, ``norm`` and ``angle``."""

    def __init__(self, values: Iterable[float]) -> None:
        self.values = [float(v) for v in values]

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[float]:
        return iter(self.values)

    def __getitem__(self, i: int) -> float:
        return self.values[i]

    def __repr__(self) -> str:
        return f"Vector({self.values})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vector) and self.values == other.values

    def _check(self, other: Vector) -> None:
        if len(self) != len(other):
            raise ShapeError(f"vectors have lengths {len(self)} and {len(other)}; they must match")

    def __add__(self, other: Vector) -> Vector:
        self._check(other)
        return Vector(a + b for a, b in zip(self, other, strict=True))

    def __sub__(self, other: Vector) -> Vector:
        self._check(other)
        return Vector(a - b for a, b in zip(self, other, strict=True))

    def __mul__(self, k: float) -> Vector:
        return Vector(k * a for a in self)

    __rmul__ = __mul__

    def dot(self, other: Vector) -> float:
        r""":math:`u \cdot v = \sum_i u_i v_i`."""
        self._check(other)
        return sum(a * b for a, b in zip(self, other, strict=True))

    def norm(self, p: float = 2) -> float:
        r""":math:`\|v\|_p = (\sum_i |v_i|^p)^{1/p}`; ``p=math.inf`` gives the largest :math:`|v_i|`."""
        if p == math.inf:
            return max(abs(a) for a in self)
        return sum(abs(a) ** p for a in self) ** (1.0 / p)

    def angle(self, other: Vector) -> float:
        r"""Angle in radians, :math:`\arccos \frac{u\cdot v}{\|u\|\|v\|}`."""
        denom = self.norm() * other.norm()
        if denom == 0:
            raise ValueError("the angle with a zero vector is undefined; pass non-zero vectors")
        return math.acos(max(-1.0, min(1.0, self.dot(other) / denom)))


class Matrix:
    """A dense matrix stored as a list of rows.

    Examples
    --------
    >>> Matrix([[2, 1], [1, 3]]).det()
    5.0
    """

    def __init__(self, rows: Sequence[Sequence[float]]) -> None:
        self.rows = [[float(v) for v in row] for row in rows]
        if not self.rows or any(len(r) != len(self.rows[0]) for r in self.rows):
            raise ShapeError("a Matrix needs a non-empty list of rows of equal length")

    @classmethod
    def identity(cls, n: int) -> Matrix:
        return cls([[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)])

    @classmethod
    def zeros(cls, n: int, m: int) -> Matrix:
        return cls([[0.0] * m for _ in range(n)])

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0])

    def __getitem__(self, ij: tuple[int, int]) -> float:
        return self.rows[ij[0]][ij[1]]

    def __repr__(self) -> str:
        return f"Matrix({self.rows})"

    def tolist(self) -> list[list[float]]:
        return [row[:] for row in self.rows]

    def column(self, j: int) -> Vector:
        return Vector(row[j] for row in self.rows)

    def _same_shape(self, other: Matrix) -> None:
        if self.shape != other.shape:
            raise ShapeError(f"shapes {self.shape} and {other.shape} differ")

    def __add__(self, other: Matrix) -> Matrix:
        self._same_shape(other)
        return Matrix(
            [[a + b for a, b in zip(r, s, strict=True)] for r, s in zip(self.rows, other.rows, strict=True)]
        )

    def __sub__(self, other: Matrix) -> Matrix:
        return self + other * -1.0

    def __mul__(self, k: float) -> Matrix:
        return Matrix([[k * a for a in row] for row in self.rows])

    __rmul__ = __mul__

    @overload
    def __matmul__(self, other: Matrix) -> Matrix: ...
    @overload
    def __matmul__(self, other: Vector) -> Vector: ...
    def __matmul__(self, other: Matrix | Vector) -> Matrix | Vector:
        """Matrix product (rows times columns) or matrix–vector product."""
        if isinstance(other, Vector):
            if self.shape[1] != len(other):
                raise ShapeError(f"matrix {self.shape} @ vector of length {len(other)}")
            return Vector(sum(a * b for a, b in zip(row, other, strict=True)) for row in self.rows)
        return Matrix(matmul(self.rows, other.rows))

    def transpose(self) -> Matrix:
        return Matrix([list(col) for col in zip(*self.rows, strict=True)])

    @property
    def T(self) -> Matrix:  # noqa: N802
        return self.transpose()

    def trace(self) -> float:
        self._square("trace")
        return sum(self.rows[i][i] for i in range(self.shape[0]))

    def _square(self, what: str) -> int:
        n, m = self.shape
        if n != m:
            raise ShapeError(f"{what} needs a square matrix, got {n}x{m}")
        return n

    # ------------------------------------------------------------------ elimination
    def det(self) -> float:
        """Determinant: product of the pivots of Gaussian elimination, sign flipped by each row swap."""
        n = self._square("det")
        a = self.tolist()
        det = 1.0
        for k in range(n):
            p = max(range(k, n), key=lambda i: abs(a[i][k]))
            if abs(a[p][k]) < EPS:
                return 0.0
            if p != k:
                a[k], a[p] = a[p], a[k]
                det = -det
            det *= a[k][k]
            for i in range(k + 1, n):
                f = a[i][k] / a[k][k]
                a[i] = [x - f * y for x, y in zip(a[i], a[k], strict=True)]
        return det

    def _gauss_jordan(self, rhs: list[list[float]]) -> list[list[float]]:
        n = self._square("solve/inverse")
        if len(rhs) != n:
            raise ShapeError(f"right-hand side has {len(rhs)} rows, the matrix {n}")
        a = [row[:] + r[:] for row, r in zip(self.rows, rhs, strict=True)]  # augmented [A | B]
        for k in range(n):
            p = max(range(k, n), key=lambda i: abs(a[i][k]))  # partial pivoting
            if abs(a[p][k]) < EPS * max(1.0, max(abs(v) for row in self.rows for v in row)):
                raise SingularMatrixError(
                    "matrix is singular (a zero pivot); use lstsq or pinv, or remove linearly dependent rows"
                )
            a[k], a[p] = a[p], a[k]
            pivot = a[k][k]
            a[k] = [x / pivot for x in a[k]]
            for i in range(n):
                if i != k and a[i][k] != 0.0:
                    f = a[i][k]
                    a[i] = [x - f * y for x, y in zip(a[i], a[k], strict=True)]
        return [row[n:] for row in a]

    def inverse(self) -> Matrix:
        """Inverse by Gauss–Jordan on :math:`[A \\mid I]`; raises :class:`SingularMatrixError`."""
        return Matrix(self._gauss_jordan(Matrix.identity(self.shape[0]).rows))

    def solve(self, b: Vector | Matrix) -> Vector | Matrix:
        """Solve :math:`Ax = b` by Gauss–Jordan with partial pivoting."""
        if isinstance(b, Vector):
            return Vector(r[0] for r in self._gauss_jordan([[v] for v in b]))
        return Matrix(self._gauss_jordan(b.tolist()))

    def rank(self, tol: float = 1e-10) -> int:
        """Number of non-zero pivots in row-echelon form."""
        a, (n, m) = self.tolist(), self.shape
        rank = 0
        for col in range(m):
            p = max(range(rank, n), key=lambda i: abs(a[i][col]), default=None)
            if p is None or abs(a[p][col]) < tol:
                continue
            a[rank], a[p] = a[p], a[rank]
            for i in range(rank + 1, n):
                f = a[i][col] / a[rank][col]
                a[i] = [x - f * y for x, y in zip(a[i], a[rank], strict=True)]
            rank += 1
            if rank == n:
                break
        return rank

    def norm(self, kind: str | float = "fro") -> float:
        """Frobenius (``"fro"``), 1 (max column sum), ``math.inf`` (max row sum) or 2 (largest singular
        value)."""
        if kind == "fro":
            return math.sqrt(sum(v * v for row in self.rows for v in row))
        if kind == 1:
            return max(sum(abs(v) for v in col) for col in zip(*self.rows, strict=True))
        if kind == math.inf:
            return max(sum(abs(v) for v in row) for row in self.rows)
        if kind == 2:
            return svd(self)[1][0]
        raise ValueError(f"unknown norm {kind!r}; use 'fro', 1, 2 or math.inf")


def matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    r"""Product of two lists of rows, :math:`C_{ij} = \sum_k A_{ik} B_{kj}` (the triple loop)."""
    if len(a[0]) != len(b):
        raise ShapeError(f"inner dimensions differ: {len(a)}x{len(a[0])} @ {len(b)}x{len(b[0])}")
    cols = list(zip(*b, strict=True))
    return [[sum(x * y for x, y in zip(row, col, strict=True)) for col in cols] for row in a]


def eig_symmetric(a: Matrix, *, tol: float = 1e-12, max_sweeps: int = 100) -> tuple[list[float], Matrix]:
    r"""Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations.

    Each rotation :math:`J(p, q, \theta)` with :math:`\tan 2\theta = 2a_{pq}/(a_{qq}-a_{pp})` zeroes the
    off-diagonal entry :math:`a_{pq}`; sweeps repeat until the off-diagonal mass is below ``tol``.

    Returns
    -------
    values : list of float, in decreasing order
    vectors : Matrix whose column ``j`` is the unit eigenvector of ``values[j]``
    """
    n = a._square("eig_symmetric")
    if any(
        abs(a.rows[i][j] - a.rows[j][i]) > 1e-9 * (1 + abs(a.rows[i][j])) for i in range(n) for j in range(i)
    ):
        raise ValueError("eig_symmetric needs a symmetric matrix; use eig() for a general one")
    m, v = a.tolist(), Matrix.identity(n).tolist()
    for _ in range(max_sweeps):
        off = math.sqrt(sum(m[i][j] ** 2 for i in range(n) for j in range(n) if i != j))
        if off < tol:
            break
        for p in range(n - 1):
            for q in range(p + 1, n):
                if abs(m[p][q]) < 1e-300:
                    continue
                theta = 0.5 * math.atan2(2 * m[p][q], m[q][q] - m[p][p])
                c, s = math.cos(theta), math.sin(theta)
                for k in range(n):  # columns p, q of M J
                    mkp, mkq = m[k][p], m[k][q]
                    m[k][p], m[k][q] = c * mkp - s * mkq, s * mkp + c * mkq
                for k in range(n):  # rows p, q of J^T M J
                    mpk, mqk = m[p][k], m[q][k]
                    m[p][k], m[q][k] = c * mpk - s * mqk, s * mpk + c * mqk
                for k in range(n):  # accumulate V J
                    vkp, vkq = v[k][p], v[k][q]
                    v[k][p], v[k][q] = c * vkp - s * vkq, s * vkp + c * vkq
    else:
        raise ConvergenceError(f"Jacobi did not converge in {max_sweeps} sweeps; raise max_sweeps or tol")
    order = sorted(range(n), key=lambda i: -m[i][i])
    return [m[i][i] for i in order], Matrix([[v[k][i] for i in order] for k in range(n)])


def qr(a: Matrix) -> tuple[Matrix, Matrix]:
    """QR factorisation by modified Gram–Schmidt: ``a = q @ r`` with orthonormal ``q``, upper-triangular
    ``r``."""
    n, m = a.shape
    cols = [a.column(j).values for j in range(m)]
    q_cols: list[list[float]] = []
    r = [[0.0] * m for _ in range(m)]
    for j in range(m):
        v = cols[j][:]
        for i, qi in enumerate(q_cols):
            r[i][j] = sum(x * y for x, y in zip(qi, v, strict=True))
            v = [x - r[i][j] * y for x, y in zip(v, qi, strict=True)]
        r[j][j] = math.sqrt(sum(x * x for x in v))
        if r[j][j] < EPS:
            raise SingularMatrixError("QR: columns are linearly dependent")
        q_cols.append([x / r[j][j] for x in v])
    return Matrix([list(row) for row in zip(*q_cols, strict=True)]), Matrix(r)


def eig(a: Matrix, *, tol: float = 1e-10, max_iter: int = 10_000) -> list[float]:
    r"""Real eigenvalues of a general square matrix by the shifted QR algorithm.

    :math:`A_k - \mu I = Q_k R_k`, :math:`A_{k+1} = R_k Q_k + \mu I` is similar to :math:`A_k` and converges
    to upper-triangular form whose diagonal holds the eigenvalues (decreasing order returned).
    Complex eigenvalues are not supported: :class:`ConvergenceError` says so.
    """
    a._square("eig")
    m, values = a, []
    for _ in range(max_iter):
        k = m.shape[0]
        if k == 1:
            values.append(m.rows[0][0])
            return sorted(values, reverse=True)
        if abs(m.rows[k - 1][k - 2]) < tol * (abs(m.rows[k - 1][k - 1]) + abs(m.rows[k - 2][k - 2]) + tol):
            values.append(m.rows[k - 1][k - 1])  # deflate: the last row has converged
            m = Matrix([row[: k - 1] for row in m.rows[: k - 1]])
            continue
        mu = _wilkinson_shift(
            m.rows[k - 2][k - 2], m.rows[k - 2][k - 1], m.rows[k - 1][k - 2], m.rows[k - 1][k - 1]
        )
        q, r = qr(m - Matrix.identity(k) * mu)
        m = (r @ q) + Matrix.identity(k) * mu  # type: ignore[operator]
    raise ConvergenceError(
        f"QR iteration did not converge in {max_iter} steps: the matrix may have complex "
        "eigenvalues; use eig_symmetric for symmetric matrices"
    )


def _wilkinson_shift(a: float, b: float, c: float, d: float) -> float:
    """Eigenvalue of the trailing 2x2 block [[a, b], [c, d]] closest to ``d`` (its real part if complex)."""
    half_tr, det = 0.5 * (a + d), a * d - b * c
    disc = half_tr * half_tr - det
    if disc < 0:
        return half_tr + 1e-3 * (abs(a) + abs(d) + 1e-3)  # complex pair: a real shift nudged off symmetry
    root = math.sqrt(disc)
    l1, l2 = half_tr + root, half_tr - root
    shift = l1 if abs(l1 - d) < abs(l2 - d) else l2
    return shift * (1 - 1e-12) + 1e-12  # never exactly an eigenvalue, so QR stays well-defined


def svd(a: Matrix) -> tuple[Matrix, list[float], Matrix]:
    r"""Thin singular value decomposition :math:`A = U \Sigma V^\top` from the eigenvectors of
    :math:`A^\top A`.

    Returns ``(U, singular values in decreasing order, V^T)``; ``U`` is n x k, ``V^T`` k x m, k = min(n, m).
    """
    n, m = a.shape
    if n < m:
        u, s, vt = svd(a.T)
        return vt.T, s, u.T
    values, v = eig_symmetric(a.T @ a)  # type: ignore[arg-type]
    sigma = [math.sqrt(max(x, 0.0)) for x in values]
    av = a @ v  # (n, m): column j is sigma_j u_j
    u_cols = []
    for j in range(m):
        col = av.column(j).values  # type: ignore[union-attr]
        norm = math.sqrt(sum(x * x for x in col))
        u_cols.append([x / norm for x in col] if norm > EPS else [0.0] * n)
    return Matrix([list(r) for r in zip(*u_cols, strict=True)]), sigma, v.T


def pca(x: Sequence[Sequence[float]], k: int) -> tuple[Matrix, list[float], Matrix]:
    """Principal component analysis of rows ``x`` (samples) keeping ``k`` components.

    Returns ``(components k x d, explained variances, projected scores n x k)``, variances with ``n - 1``.
    """
    data = Matrix(x)
    n, d = data.shape
    if not 1 <= k <= d:
        raise ValueError(f"k must be between 1 and {d}, got {k}")
    means = [sum(col) / n for col in zip(*data.rows, strict=True)]
    centred = Matrix([[v - mu for v, mu in zip(row, means, strict=True)] for row in data.rows])
    cov = (centred.T @ centred) * (1.0 / (n - 1))  # type: ignore[operator]
    values, vectors = eig_symmetric(cov)
    components = Matrix([vectors.column(j).values for j in range(k)])
    return components, values[:k], centred @ components.T  # type: ignore[return-value]
