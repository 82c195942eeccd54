import numpy as np

from _judge import Mismatch, close, function

RNG = np.random.default_rng(25)
D, K = 5, 4
VC, UO, UNEG = RNG.normal(size=D) * 0.5, RNG.normal(size=D) * 0.5, RNG.normal(size=(K, D)) * 0.5


def _loss(vc, uo, uneg):
    return float(np.logaddexp(0, -(uo @ vc)) + np.sum(np.logaddexp(0, uneg @ vc)))


def _numeric(which, h=1e-6):
    args = [VC, UO, UNEG]
    grad = np.zeros_like(args[which])
    for idx in np.ndindex(grad.shape):
        plus = [a.copy() for a in args]
        minus = [a.copy() for a in args]
        plus[which][idx] += h
        minus[which][idx] -= h
        grad[idx] = (_loss(*plus) - _loss(*minus)) / (2 * h)
    return grad


def _result():
    got = function("sgns_loss_grad")(VC.copy(), UO.copy(), UNEG.copy())
    if not isinstance(got, tuple) or len(got) != 4:
        raise Mismatch("sgns_loss_grad doit renvoyer (loss, d_vc, d_uo, d_Uneg)", got=got)
    return got


def test_loss():
    """perte = −log σ(u_o·v_c) − Σ log σ(−u_k·v_c)."""
    close(_result()[0], _loss(VC, UO, UNEG), what="loss", inputs="v_c (5,), u_o (5,), U_neg (4×5)")


def test_gradient_center():
    """d_vc = gradient numérique."""
    close(_result()[1], _numeric(0), what="d_vc", inputs="v_c, u_o, U_neg", rtol=1e-5, atol=1e-7)


def test_gradient_context_and_negatives():
    """d_uo et d_Uneg = gradients numériques."""
    got = _result()
    close(got[2], _numeric(1), what="d_uo", inputs="v_c, u_o, U_neg", rtol=1e-5, atol=1e-7)
    close(got[3], _numeric(2), what="d_Uneg", inputs="v_c, u_o, U_neg", rtol=1e-5, atol=1e-7)
