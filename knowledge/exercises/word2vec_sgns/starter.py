import numpy as np


def sgns_loss_grad(v_c, u_o, U_neg):
    """(loss, d_vc, d_uo, d_Uneg)."""
    raise NotImplementedError("à compléter")
