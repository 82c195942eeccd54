import numpy as np


def greedy(logits):
    return int(np.argmax(logits))


def softmax_temperature(logits, temperature):
    if temperature <= 0:
        raise ValueError("temperature doit être > 0")
    z = np.asarray(logits, dtype=float) / temperature
    e = np.exp(z - z.max())
    return e / e.sum()


def top_k_filter(logits, k):
    logits = np.asarray(logits, dtype=float)
    threshold = np.sort(logits)[-k]
    return np.where(logits >= threshold, logits, -np.inf)


def sample_top_k(logits, k, temperature, u):
    p = softmax_temperature(top_k_filter(logits, k), temperature)
    return int(np.searchsorted(np.cumsum(p), u, side="right"))
