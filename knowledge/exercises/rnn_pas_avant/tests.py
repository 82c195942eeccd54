import math

import numpy as np

from _judge import close, function

RNG = np.random.default_rng(22)
D, K, T = 3, 4, 5
WXH, WHH, B = RNG.normal(size=(D, K)) * 0.5, RNG.normal(size=(K, K)) * 0.5, RNG.normal(size=K) * 0.1
XS, H0 = RNG.normal(size=(T, D)), RNG.normal(size=K) * 0.1


def _step(x, h):
    return [math.tanh(sum(x[i] * WXH[i, j] for i in range(D)) + sum(h[i] * WHH[i, j] for i in range(K)) + B[j])
            for j in range(K)]


def test_one_step():
    """rnn_step = tanh(x·Wxh + h·Whh + b)."""
    close(function("rnn_step")(XS[0], H0, WXH, WHH, B), _step(XS[0], H0), what="rnn_step",
          inputs={"x": XS[0].round(3).tolist(), "h": H0.round(3).tolist()})


def test_sequence():
    """rnn_forward renvoie les T états successifs."""
    h, states = list(H0), []
    for x in XS:
        h = _step(x, h)
        states.append(h)
    close(function("rnn_forward")(XS, H0, WXH, WHH, B), states, what="rnn_forward", inputs="xs (5×3), h0 (4,)")


def test_zero_input_keeps_zero_state():
    """avec x = 0, h0 = 0, b = 0 l'état reste nul."""
    got = function("rnn_forward")(np.zeros((3, D)), np.zeros(K), WXH, WHH, np.zeros(K))
    close(got, np.zeros((3, K)), what="rnn_forward", inputs="xs = 0, h0 = 0, b = 0")
