import numpy as np


def layer_norm(x, gamma, beta, eps=1e-5):
    raise NotImplementedError("à compléter")


def transformer_block(x, p):
    raise NotImplementedError("à compléter")
