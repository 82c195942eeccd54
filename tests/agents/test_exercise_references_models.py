"""Exercise references of the from-scratch chapters against ``models/`` (see test_exercise_references.py)."""

from __future__ import annotations

import math
from types import ModuleType

import numpy as np
import pytest

from models.attention import causal_mask, scaled_dot_product_attention
from models.engine import Tensor
from models.functional import layer_norm
from models.gpt import GPT, GPTConfig, filter_probs
from models.linear import LinearRegression, LogisticRegression
from models.maths import calculus, linalg, stats
from models.mlp import MLP
from models.rnn import RNN
from models.transformer import Block
from models.word2vec import Word2Vec
from tests.helpers.exercise_reference import check, close, load_reference, param


@check("matrices_sans_numpy")
def _matrices(sol: ModuleType) -> None:
    rng = np.random.default_rng(101)
    for n, m, p in [(1, 1, 1), (2, 3, 4), (4, 4, 2), (5, 2, 3)]:
        a, b = rng.normal(size=(n, m)).tolist(), rng.normal(size=(m, p)).tolist()
        assert sol.transpose(a) == linalg.Matrix(a).T.tolist()
        assert sol.matmul(a, b) == linalg.matmul(a, b) == (linalg.Matrix(a) @ linalg.Matrix(b)).tolist()
    for n in range(1, 7):  # same algorithm (Gaussian elimination, partial pivoting, first maximum wins)
        a = rng.normal(size=(n, n)).tolist()
        assert sol.determinant(a) == pytest.approx(linalg.Matrix(a).det(), rel=1e-12)
    # exactly singular: both 0.0 (models also returns 0.0 below a pivot of 1e-12, the exercise only at 0)
    assert sol.determinant([[1, 2], [2, 4]]) == linalg.Matrix([[1, 2], [2, 4]]).det() == 0.0
    for bad in (lambda f: f([[1.0, 2.0]], [[1.0, 2.0]]),):  # (1x2) @ (1x2): both raise a ValueError
        with pytest.raises(ValueError):
            bad(sol.matmul)
        with pytest.raises(ValueError):  # models.errors.ShapeError is a ValueError
            bad(linalg.matmul)
    with pytest.raises(ValueError):
        sol.determinant([[1.0, 2.0]])
    with pytest.raises(ValueError):
        linalg.Matrix([[1.0, 2.0]]).det()


@check("gradients_numeriques")
def _gradients(sol: ModuleType) -> None:
    rng = np.random.default_rng(102)

    def f(x: np.ndarray) -> float:
        return float(np.sum(np.sin(x) * x**2) + x[0] * x[-1])

    for x in rng.normal(size=5):  # same central difference, same default h = 1e-5: bit for bit
        assert sol.derivative(math.sin, x) == calculus.derivative(math.sin, x)
        assert sol.derivative(math.exp, x, h=1e-3) == calculus.derivative(math.exp, x, h=1e-3)
    for size in (1, 3, 6):
        x = rng.normal(size=size)
        np.testing.assert_array_equal(sol.gradient(f, x), calculus.gradient(f, x))
        np.testing.assert_array_equal(sol.gradient(f, x, h=1e-4), calculus.gradient(f, x, h=1e-4))


@check("statistiques_descriptives")
def _descriptive(sol: ModuleType) -> None:
    rng = np.random.default_rng(103)
    samples = [rng.normal(10, 3, size=n).tolist() for n in (1, 2, 7, 10)] + [rng.integers(0, 6, 20).tolist()]
    for xs in samples:
        assert sol.mean(xs) == pytest.approx(stats.mean(xs), rel=1e-14)
        # median: the exercise averages the two middle values; models interpolates type 7 at q = 0.5
        assert sol.median(xs) == pytest.approx(stats.median(xs), rel=1e-14)
        # ddof: the exercise defaults to the population variance (ddof=0), models to the sample one (ddof=1)
        assert sol.variance(xs) == pytest.approx(stats.variance(xs, ddof=0), rel=1e-12)
        assert sol.std(xs) == pytest.approx(stats.std(xs, ddof=0), rel=1e-12)
        if len(xs) > 1:
            assert sol.variance(xs, ddof=1) == pytest.approx(stats.variance(xs), rel=1e-12)
            assert sol.std(xs, ddof=1) == pytest.approx(stats.std(xs), rel=1e-12)
    for fn in (sol.mean, sol.median, sol.variance, stats.mean, stats.median, stats.variance):
        with pytest.raises(ValueError):  # models.errors.DataError is a ValueError
            fn([])


@check("regression_lineaire")
def _linear(sol: ModuleType) -> None:
    rng = np.random.default_rng(104)
    x = rng.normal(size=(80, 3))
    y = x @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=80)
    model = LinearRegression(3, rng=rng)
    for _ in range(3):
        w, b = rng.normal(size=3), float(rng.normal())
        model.linear.weight, model.linear.bias = param(w.reshape(3, 1)), param([b])
        loss = model.loss(Tensor(x), y)  # MSE = mean((Xw + b - y)^2), the exercise's loss
        loss.backward()
        dw, db = sol.mse_gradient(x, y, w, b)
        close(dw, model.linear.weight.grad.ravel())
        close(db, model.linear.bias.grad[0])
        assert loss.item() == pytest.approx(np.mean((x @ w + b - y) ** 2), rel=1e-12)
    # 2000 steps of lr 0.1 on well-conditioned data reach the normal equations' solution
    w, b = sol.fit_linear_gd(x, y)
    model.fit_closed_form(x, y)
    close(w, model.linear.weight.data.ravel(), rtol=0, atol=1e-10)
    close(b, model.linear.bias.data[0], rtol=0, atol=1e-10)


@check("regression_logistique")
def _logistic(sol: ModuleType) -> None:
    rng = np.random.default_rng(105)
    z = np.concatenate([rng.normal(scale=5, size=50), [-1000.0, -40.0, 0.0, 40.0, 1000.0]])
    np.testing.assert_array_equal(sol.sigmoid(z), Tensor(z).sigmoid().data)  # same stable formula
    x = rng.normal(size=(60, 4))
    y = (x @ np.array([1.0, -1.0, 0.5, 0.0]) + rng.normal(size=60) > 0).astype(int)
    model = LogisticRegression(4, rng=rng)
    for _ in range(3):
        w, b = rng.normal(size=4), float(rng.normal())
        model.linear.weight, model.linear.bias = param(w.reshape(4, 1)), param([b])
        loss = model.loss(Tensor(x), y)  # mean binary cross-entropy on logits
        loss.backward()
        got_loss, dw, db = sol.logistic_loss_grad(x, y, w, b)
        close(got_loss, loss.item())
        close(dw, model.linear.weight.grad.ravel())
        close(db, model.linear.bias.grad[0])
        close(sol.sigmoid(x @ w + b), model.predict_proba(x))
        np.testing.assert_array_equal(sol.predict(x, w, b), model.predict(x))
    # Tie at p = 0.5 exactly (z = 0): the exercise's statement says class 1 when p >= 0.5, models uses p > 0.5.
    model.linear.weight, model.linear.bias = param(np.zeros((4, 1))), param([0.0])
    assert sol.predict(x[:1], np.zeros(4), 0.0).tolist() == [1] and model.predict(x[:1]).tolist() == [0]


@check("mlp_retropropagation")
def _mlp(sol: ModuleType) -> None:
    rng = np.random.default_rng(106)
    x, y = rng.normal(size=(20, 4)), rng.integers(0, 3, size=20)
    w1, b1, w2, b2 = rng.normal(size=(4, 5)), rng.normal(size=5), rng.normal(size=(5, 3)), rng.normal(size=3)
    model = MLP([4, 5, 3], activation="relu", rng=rng)  # Linear -> ReLU -> Linear, mean cross-entropy
    first, last = model.net.layers[0], model.net.layers[-1]
    first.weight, first.bias, last.weight, last.bias = param(w1), param(b1), param(w2), param(b2)
    loss = model.loss(Tensor(x), y)
    loss.backward()
    got = sol.mlp_gradients(x, y, w1, b1, w2, b2)
    close(got["loss"], loss.item())
    for name, tensor in (("W1", first.weight), ("b1", first.bias), ("W2", last.weight), ("b2", last.bias)):
        close(got[name], tensor.grad, atol=1e-15)


@check("rnn_pas_avant")
def _rnn(sol: ModuleType) -> None:
    rng = np.random.default_rng(107)
    xs, h0 = rng.normal(size=(6, 3)), rng.normal(size=4)
    wxh, whh, b = rng.normal(size=(3, 4)), 0.5 * rng.normal(size=(4, 4)), rng.normal(size=4)
    rnn = RNN(3, 4, cell="rnn", rng=rng)
    # models keeps torch's two biases (b_ih + b_hh); the exercise has one: b_ih = b, b_hh = 0
    cell = rnn.cell
    cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh = param(wxh), param(whh), param(b), param(
        np.zeros(4))
    out, last = rnn(Tensor(xs[None]), Tensor(h0[None]))  # (1, T, H)
    states = sol.rnn_forward(xs, h0, wxh, whh, b)
    close(states, out.data[0])
    close(states[-1], last.data[0])
    batch_x, batch_h = rng.normal(size=(5, 3)), rng.normal(size=(5, 4))  # one step on a batch
    close(sol.rnn_step(batch_x, batch_h, wxh, whh, b), cell(Tensor(batch_x), Tensor(batch_h)).data)


@check("word2vec_sgns")
def _word2vec(sol: ModuleType) -> None:
    rng = np.random.default_rng(108)
    model = Word2Vec(12, 6, rng=rng)
    model.w_in.weight, model.w_out.weight = param(rng.normal(size=(12, 6))), param(rng.normal(size=(12, 6)))
    v_in, v_out = model.w_in.weight.data, model.w_out.weight.data
    centre, context, negatives = 2, 5, np.array([0, 1, 7, 9])  # distinct ids: no accumulated gradient rows
    loss = model.loss(np.array([centre]), np.array([context]), negatives[None])
    loss.backward()
    got_loss, d_vc, d_uo, d_uneg = sol.sgns_loss_grad(v_in[centre], v_out[context], v_out[negatives])
    close(got_loss, loss.item())
    close(d_vc, model.w_in.weight.grad[centre])
    close(d_uo, model.w_out.weight.grad[context])
    close(d_uneg, model.w_out.weight.grad[negatives])
    # a batch: models averages the per-pair losses over the batch
    centres, contexts, negs = np.array([3, 4, 8]), np.array([6, 10, 11]), rng.integers(0, 12, size=(3, 5))
    per_pair = [sol.sgns_loss_grad(v_in[c], v_out[o], v_out[n])[0]
                for c, o, n in zip(centres, contexts, negs, strict=True)]
    close(np.mean(per_pair), model.loss(centres, contexts, negs).item())


@check("attention")
def _attention(sol: ModuleType) -> None:
    rng = np.random.default_rng(109)
    big = np.array([[1000.0, 1001.0, 1002.0], [-1.0, 0.0, 1.0]])
    for x in (rng.normal(size=(4, 7)), big):
        close(sol.softmax(x), Tensor(x).softmax(-1).data, atol=1e-16)
    for tq, tk in ((5, 5), (3, 6)):
        q, k, v = rng.normal(size=(tq, 8)), rng.normal(size=(tk, 8)), rng.normal(size=(tk, 3))
        # models is fed a batch of one, (1, T, d); unbatched inputs are checked by the regression test below
        out, weights = _models_attention(q, k, v)
        got_out, got_w = sol.scaled_dot_product_attention(q, k, v)
        close(got_w, weights, atol=1e-15)
        close(got_out, out, atol=1e-14)
        # Causal: the exercise lets query i see keys j <= i (top-left aligned); models.causal_mask(tq, tk) aligns
        # the queries with the LAST tq keys (KV-cache convention). Equal when tq == tk; else pass the
        # exercise's mask to models explicitly.
        top_left = np.triu(np.full((tq, tk), -np.inf), k=1)
        if tq == tk:
            np.testing.assert_array_equal(top_left, causal_mask(tq))
        out, weights = _models_attention(q, k, v, top_left)
        got_out, got_w = sol.scaled_dot_product_attention(q, k, v, causal=True)
        close(got_w, weights, atol=1e-15)
        close(got_out, out, atol=1e-14)


def _models_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray,
                      mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    out, weights = scaled_dot_product_attention(Tensor(q[None]), Tensor(k[None]), Tensor(v[None]), mask)
    return out.data[0], weights.data[0]


@check("bloc_transformer")
def _transformer(sol: ModuleType) -> None:
    rng = np.random.default_rng(110)
    c, t, hidden = 8, 5, 32  # models' FeedForward has 4 * d_model hidden units
    p = {name: 0.4 * rng.normal(size=(c, c)) for name in ("Wq", "Wk", "Wv", "Wo")}
    p |= {"ln1_g": 1 + 0.1 * rng.normal(size=c), "ln1_b": 0.1 * rng.normal(size=c),
          "ln2_g": 1 + 0.1 * rng.normal(size=c), "ln2_b": 0.1 * rng.normal(size=c),
          "W1": 0.1 * rng.normal(size=(c, hidden)), "W2": 0.2 * rng.normal(size=(hidden, c)),
          "b2": 0.1 * rng.normal(size=c)}
    # models' FFN is GELU (x * Phi(x), exact erf), the exercise's is ReLU. They agree to the last bit when every
    # pre-activation has |z| >= 10 (Phi(-10) ~ 7.6e-24), so b1 is drawn as +-20 with a small W1.
    p["b1"] = 20.0 * rng.choice([-1.0, 1.0], size=hidden)
    x = rng.normal(size=(t, c))
    block = Block(c, 1, causal=True, rng=rng)  # one head: scores / sqrt(C), like the exercise
    attn, ff = block.self_attn, block.ff
    block.norm1.weight, block.norm1.bias = param(p["ln1_g"]), param(p["ln1_b"])
    block.norm2.weight, block.norm2.bias = param(p["ln2_g"]), param(p["ln2_b"])
    for proj, name in ((attn.q_proj, "Wq"), (attn.k_proj, "Wk"), (attn.v_proj, "Wv"), (attn.out_proj, "Wo")):
        proj.weight, proj.bias = param(p[name]), param(np.zeros(c))  # the exercise's projections have no bias
    ff.linear1.weight, ff.linear1.bias = param(p["W1"]), param(p["b1"])
    ff.linear2.weight, ff.linear2.bias = param(p["W2"]), param(p["b2"])
    expected = block(Tensor(x[None])).data[0]
    got = sol.transformer_block(x.copy(), p)
    close(got, expected, rtol=1e-10, atol=1e-12)
    mid = x + attn(block.norm1(Tensor(x[None]))).data[0]  # the premise: no pre-activation near 0
    pre = layer_norm(Tensor(mid), block.norm2.weight, block.norm2.bias).data @ p["W1"] + p["b1"]
    assert np.abs(pre).min() > 10
    ln = layer_norm(Tensor(x), Tensor(p["ln1_g"]), Tensor(p["ln1_b"])).data  # same eps = 1e-5, biased variance
    close(sol.layer_norm(x, p["ln1_g"], p["ln1_b"]), ln, atol=1e-15)


@check("echantillonnage_gpt")
def _sampling(sol: ModuleType) -> None:
    rng = np.random.default_rng(111)
    for _ in range(5):
        logits = rng.normal(scale=2, size=9)
        for k in (1, 3, 9):
            for temp in (0.5, 1.0, 2.0):
                # models divides by T then keeps the top k; the exercise filters then divides: top-k is
                # invariant under a positive scale, so both give the same distribution
                expected = filter_probs(logits[None] / temp, top_k=k)[0]
                close(sol.softmax_temperature(sol.top_k_filter(logits, k), temp), expected, atol=1e-16)
    gpt = GPT(GPTConfig(block_size=8, vocab_size=11, n_layer=1, n_head=2, n_embd=16, dtype="float64"),
              rng=np.random.default_rng(7))
    prompt = rng.integers(0, 11, size=(1, 5))
    logits = gpt(prompt)[0].data[0, -1]
    assert sol.greedy(logits) == gpt.generate(prompt, 1, greedy=True)[0, -1]
    # Generator.choice(V, p=p) draws one uniform u = rng.random() and returns searchsorted(cdf, u, "right"):
    # the exercise's inverse-CDF sampler fed the same u picks the same token.
    picks = set()
    for seed in range(30):
        for k, temp in ((3, 0.7), (11, 1.5)):
            u = np.random.default_rng(seed).random()
            token = gpt.generate(prompt, 1, temperature=temp, top_k=k, rng=np.random.default_rng(seed))[0, -1]
            assert sol.sample_top_k(logits, k, temp, u) == token
            picks.add(int(token))
    assert len(picks) >= 3  # the comparison covered several tokens, not one dominant one


def test_models_attention_on_unbatched_inputs() -> None:
    """Regression: Tensor.transpose(-2, -1) used to be the identity on 2-D tensors (Q K instead of Q Kᵀ)."""
    sol = load_reference("attention")
    rng = np.random.default_rng(112)
    q, k, v = rng.normal(size=(4, 8)), rng.normal(size=(4, 8)), rng.normal(size=(4, 3))
    out, weights = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v))
    close(weights.data, sol.scaled_dot_product_attention(q, k, v)[1], atol=1e-15)
