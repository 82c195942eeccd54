import numpy as np


def rnn_step(x, h, Wxh, Whh, b):
    return np.tanh(x @ Wxh + h @ Whh + b)


def rnn_forward(xs, h0, Wxh, Whh, b):
    h, states = h0, []
    for x in xs:
        h = rnn_step(x, h, Wxh, Whh, b)
        states.append(h)
    return np.stack(states)  # (T, k)
