def transpose(A):
    """Transposée de A (liste de lignes)."""
    raise NotImplementedError("à compléter")


def matmul(A, B):
    """Produit matriciel A·B ; ValueError si les dimensions ne correspondent pas."""
    raise NotImplementedError("à compléter")


def determinant(A):
    """Déterminant d'une matrice carrée ; ValueError sinon."""
    raise NotImplementedError("à compléter")
