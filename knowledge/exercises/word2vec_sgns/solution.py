import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sgns_loss_grad(v_c, u_o, U_neg):
    """(loss, d_vc, d_uo, d_Uneg)."""
    pos = _sigmoid(u_o @ v_c)
    neg = _sigmoid(-U_neg @ v_c)  # (K,)
    loss = -np.log(pos) - np.sum(np.log(neg))
    d_vc = (pos - 1.0) * u_o + (1.0 - neg) @ U_neg
    d_uo = (pos - 1.0) * v_c
    d_Uneg = np.outer(1.0 - neg, v_c)
    return loss, d_vc, d_uo, d_Uneg
