import numpy as np


def greedy(logits):
    raise NotImplementedError("à compléter")


def softmax_temperature(logits, temperature):
    raise NotImplementedError("à compléter")


def top_k_filter(logits, k):
    raise NotImplementedError("à compléter")


def sample_top_k(logits, k, temperature, u):
    raise NotImplementedError("à compléter")
