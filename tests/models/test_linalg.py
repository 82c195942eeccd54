"""Pure-Python linear algebra against numpy.linalg."""

from __future__ import annotations

import math

import numpy as np
import pytest

from models.errors import ShapeError, SingularMatrixError
from models.maths.linalg import Matrix, Vector, eig, eig_symmetric, matmul, pca, qr, svd


def _m(a: np.ndarray) -> Matrix:
    return Matrix(a.tolist())


def _np(m: Matrix) -> np.ndarray:
    return np.array(m.rows)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_products_det_inverse_solve_match_numpy(n: int, rng: np.random.Generator) -> None:
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    rhs = rng.standard_normal(n)
    np.testing.assert_allclose(_np(_m(a) @ _m(b)), a @ b, atol=1e-12)
    np.testing.assert_allclose(_np(_m(a) + _m(b) * 2.0 - _m(b)), a + b, atol=1e-12)
    np.testing.assert_allclose(_np(_m(a).T), a.T)
    assert _m(a).trace() == pytest.approx(np.trace(a))
    assert _m(a).det() == pytest.approx(np.linalg.det(a), rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(_np(_m(a).inverse()), np.linalg.inv(a), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(
        _m(a).solve(Vector(rhs)).values, np.linalg.solve(a, rhs), rtol=1e-8, atol=1e-10
    )
    np.testing.assert_allclose((_m(a) @ Vector(rhs)).values, a @ rhs, atol=1e-12)


def test_pivoting_handles_a_zero_leading_entry_and_singular_raises() -> None:
    a = Matrix([[0.0, 1.0], [1.0, 0.0]])
    assert a.det() == -1.0
    assert a.solve(Vector([2.0, 3.0])).values == [3.0, 2.0]
    singular = Matrix([[1.0, 2.0], [2.0, 4.0]])
    assert singular.det() == 0.0
    with pytest.raises(SingularMatrixError, match="singular"):
        singular.inverse()
    with pytest.raises(ShapeError, match="square"):
        Matrix([[1.0, 2.0]]).det()
    with pytest.raises(ShapeError, match="inner"):
        matmul([[1.0, 2.0]], [[1.0, 2.0]])


@pytest.mark.parametrize("shape,rank", [((4, 4), 4), ((5, 3), 3), ((3, 6), 3), ((6, 6), 2), ((4, 5), 1)])
def test_rank_matches_numpy(shape: tuple[int, int], rank: int, rng: np.random.Generator) -> None:
    a = rng.standard_normal((shape[0], rank)) @ rng.standard_normal((rank, shape[1]))
    assert _m(a).rank() == np.linalg.matrix_rank(a) == rank


def test_norms_dot_angle(rng: np.random.Generator) -> None:
    a = rng.standard_normal((4, 3))
    for kind in ("fro", 1, 2, math.inf):
        assert _m(a).norm(kind) == pytest.approx(np.linalg.norm(a, kind), rel=1e-9)
    u, v = rng.standard_normal(5), rng.standard_normal(5)
    assert Vector(u).dot(Vector(v)) == pytest.approx(u @ v)
    for p in (1, 2, 3, math.inf):
        assert Vector(u).norm(p) == pytest.approx(np.linalg.norm(u, p))
    assert Vector(u).angle(Vector(v)) == pytest.approx(
        math.acos(u @ v / np.linalg.norm(u) / np.linalg.norm(v))
    )
    assert Vector([1, 0]).angle(Vector([0, 2])) == pytest.approx(math.pi / 2)
    assert (Vector(u) + Vector(v) - 2 * Vector(v)).values == pytest.approx((u - v).tolist())


@pytest.mark.parametrize("n", [2, 4, 6])
def test_jacobi_eigen_decomposition_matches_eigh(n: int, rng: np.random.Generator) -> None:
    x = rng.standard_normal((n, n))
    a = x + x.T
    values, vectors = eig_symmetric(_m(a))
    ref = np.linalg.eigvalsh(a)[::-1]
    np.testing.assert_allclose(values, ref, atol=1e-9)
    v = _np(vectors)
    np.testing.assert_allclose(a @ v, v * np.array(values), atol=1e-8)
    np.testing.assert_allclose(v.T @ v, np.eye(n), atol=1e-10)


def test_qr_and_general_eigenvalues(rng: np.random.Generator) -> None:
    a = rng.standard_normal((4, 3))
    q, r = qr(_m(a))
    np.testing.assert_allclose(_np(q) @ _np(r), a, atol=1e-12)
    np.testing.assert_allclose(_np(q).T @ _np(q), np.eye(3), atol=1e-12)
    p = rng.standard_normal((4, 4))
    general = p @ np.diag([5.0, 2.0, -1.0, 0.5]) @ np.linalg.inv(p)  # real, distinct eigenvalues
    np.testing.assert_allclose(
        eig(_m(general)), sorted(np.linalg.eigvals(general).real, reverse=True), atol=1e-7
    )


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4)])
def test_svd_matches_numpy(shape: tuple[int, int], rng: np.random.Generator) -> None:
    a = rng.standard_normal(shape)
    u, s, vt = svd(_m(a))
    np.testing.assert_allclose(s, np.linalg.svd(a, compute_uv=False), atol=1e-9)
    np.testing.assert_allclose(_np(u) * np.array(s) @ _np(vt), a, atol=1e-9)


def test_pca_matches_numpy_eigh_of_covariance(rng: np.random.Generator) -> None:
    x = rng.standard_normal((50, 3)) @ np.array([[3.0, 0, 0], [1.0, 1.0, 0], [0, 0.2, 0.1]])
    comps, var, scores = pca(x.tolist(), 2)
    w, v = np.linalg.eigh(np.cov(x.T))
    np.testing.assert_allclose(var, w[::-1][:2], rtol=1e-9)
    for j in range(2):  # components are defined up to sign
        c = np.array(comps.rows[j])
        assert abs(abs(c @ v[:, ::-1][:, j]) - 1) < 1e-9
    np.testing.assert_allclose(np.var(_np(scores), axis=0, ddof=1), var, rtol=1e-9)
