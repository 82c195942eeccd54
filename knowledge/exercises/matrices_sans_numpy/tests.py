import numpy as np

from _judge import Mismatch, close, function, learner_source

RNG = np.random.default_rng(3)
CASES = [RNG.integers(-5, 6, size=s).tolist() for s in [(2, 3), (3, 3), (4, 2), (1, 4)]]


def _is_matrix(x):
    return isinstance(x, list) and all(isinstance(r, list) for r in x)


def test_transpose():
    """transpose renvoie la transposée (liste de listes)."""
    transpose = function("transpose")
    for A in CASES:
        got = transpose(A)
        if not _is_matrix(got):
            raise Mismatch("transpose doit renvoyer une liste de listes", inputs=A, expected="list[list]", got=got)
        close(got, np.array(A).T, what="transpose", inputs=A)


def test_matmul():
    """matmul calcule le produit matriciel."""
    matmul = function("matmul")
    pairs = [(CASES[0], RNG.integers(-5, 6, size=(3, 2)).tolist()), (CASES[1], CASES[1]),
             (CASES[2], CASES[0]), ([[2.5]], [[4.0]])]
    for A, B in pairs:
        got = matmul(A, B)
        if not _is_matrix(got):
            raise Mismatch("matmul doit renvoyer une liste de listes", inputs=(A, B), expected="list[list]", got=got)
        close(got, np.array(A) @ np.array(B), what="matmul", inputs=(A, B))


def test_matmul_shape_error():
    """matmul lève ValueError quand les dimensions ne correspondent pas."""
    matmul = function("matmul")
    A, B = CASES[0], CASES[0]
    try:
        got = matmul(A, B)
    except ValueError:
        return
    raise Mismatch("matmul doit lever ValueError (3 colonnes contre 2 lignes)", inputs=(A, B),
                   expected="ValueError", got=got)


def test_determinant():
    """determinant correspond à numpy.linalg.det (matrices 1x1 à 4x4, singulière comprise)."""
    determinant = function("determinant")
    mats = [[[7]], [[1, 2], [3, 4]], CASES[1], RNG.integers(-4, 5, size=(4, 4)).tolist(),
            [[1, 2, 3], [2, 4, 6], [0, 1, 1]]]
    for A in mats:
        close(determinant(A), np.linalg.det(np.array(A, dtype=float)), what="determinant", inputs=A, atol=1e-9)


def test_determinant_not_square():
    """determinant lève ValueError pour une matrice non carrée."""
    determinant = function("determinant")
    try:
        got = determinant(CASES[0])
    except ValueError:
        return
    raise Mismatch("determinant doit lever ValueError", inputs=CASES[0], expected="ValueError", got=got)


def test_no_numpy():
    """le module n'importe pas NumPy."""
    import ast

    tree = ast.parse(learner_source())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    if any(name.split(".")[0] == "numpy" for name in names) or "__import__" in learner_source():
        raise Mismatch("cet exercice se fait sans NumPy : retirez `import numpy`")
