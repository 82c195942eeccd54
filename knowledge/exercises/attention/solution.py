import numpy as np


def softmax(x, axis=-1):
    x = np.asarray(x, dtype=float)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def scaled_dot_product_attention(Q, K, V, causal=False):
    """(out, weights)."""
    scores = Q @ K.T / np.sqrt(K.shape[-1])  # (T_q, T_k)
    if causal:
        scores = np.where(np.triu(np.ones(scores.shape, dtype=bool), k=1), -np.inf, scores)
    weights = softmax(scores, axis=-1)
    return weights @ V, weights
