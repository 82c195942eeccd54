def transpose(A):
    """Transposée de A (liste de lignes)."""
    return [list(col) for col in zip(*A)]


def matmul(A, B):
    """Produit matriciel A·B ; ValueError si les dimensions ne correspondent pas."""
    if len(A[0]) != len(B):
        raise ValueError(f"dimensions incompatibles : {len(A[0])} colonnes contre {len(B)} lignes")
    Bt = transpose(B)
    return [[sum(a * b for a, b in zip(row, col)) for col in Bt] for row in A]


def determinant(A):
    """Déterminant par élimination de Gauss avec pivot partiel ; ValueError si A n'est pas carrée."""
    n = len(A)
    if any(len(row) != n for row in A):
        raise ValueError("la matrice doit être carrée")
    M = [[float(x) for x in row] for row in A]
    det = 1.0
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        if M[p][c] == 0:
            return 0.0
        if p != c:
            M[c], M[p] = M[p], M[c]
            det = -det
        det *= M[c][c]
        for r in range(c + 1, n):
            f = M[r][c] / M[c][c]
            M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return det
