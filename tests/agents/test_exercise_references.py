"""Each exercise's reference ``solution.py`` agrees with our own libraries, ``models/`` and ``finance/``.

The judges (``knowledge/exercises/<id>/tests.py``) compare the learner's code with independent NumPy/pandas
references; this module closes the loop with the code the tutor runs: every reference solution is loaded from
its path (plain Python, no sandbox needed) and compared with its counterpart on seeded random inputs, exactly
where the conventions match and after an explicit, commented alignment where they do not.

Every exercise has a counterpart. Pieces without one, left to the judges alone:
- ``statistiques_descriptives.mode``: ``models.maths.stats`` has no mode (the judge uses ``collections.Counter``).
- ``regression_lineaire.fit_linear_gd``'s trajectory: ``models`` trains through ``models.train``/``optim``;
  only the end point is compared, with ``LinearRegression.fit_closed_form``.
- ``echantillonnage_gpt.softmax_temperature``'s ``ValueError`` for T <= 0: ``GPT.generate`` clamps T to 1e-8.
- The exercises' input validation (``ValueError`` messages) beyond the cases checked below: each side
  validates its own API (e.g. ``finance`` needs >= 30 returns and a VaR level in (0.5, 1)).
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from finance import metrics
from finance.backtest import backtest
from finance.returns import returns
from finance.risk import var_historical
from finance.strategies import sma_cross, sma_matrix
from finance.var_backtest import VaRBacktest, kupiec_pof, var_backtest
from finance.volatility import fit_garch
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

EXERCISES = Path(__file__).resolve().parents[2] / "knowledge" / "exercises"
CHECKS: dict[str, Callable[[ModuleType], None]] = {}


def _load(exercise_id: str) -> ModuleType:
    path = EXERCISES / exercise_id / "solution.py"
    spec = importlib.util.spec_from_file_location(f"_reference_{exercise_id}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check(exercise_id: str) -> Callable[[Callable[[ModuleType], None]], Callable[[ModuleType], None]]:
    def register(fn: Callable[[ModuleType], None]) -> Callable[[ModuleType], None]:
        CHECKS[exercise_id] = fn
        return fn

    return register


def _close(got: object, expected: object, rtol: float = 1e-12, atol: float = 0.0) -> None:
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(expected, dtype=float), rtol=rtol, atol=atol)


def _param(data: np.ndarray) -> Tensor:
    return Tensor(np.array(data, dtype=float), requires_grad=True)


# ---------------------------------------------------------------------------------------- models/ (from scratch)
@_check("matrices_sans_numpy")
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


@_check("gradients_numeriques")
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


@_check("statistiques_descriptives")
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


@_check("regression_lineaire")
def _linear(sol: ModuleType) -> None:
    rng = np.random.default_rng(104)
    x = rng.normal(size=(80, 3))
    y = x @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=80)
    model = LinearRegression(3, rng=rng)
    for _ in range(3):
        w, b = rng.normal(size=3), float(rng.normal())
        model.linear.weight, model.linear.bias = _param(w.reshape(3, 1)), _param([b])
        loss = model.loss(Tensor(x), y)  # MSE = mean((Xw + b - y)^2), the exercise's loss
        loss.backward()
        dw, db = sol.mse_gradient(x, y, w, b)
        _close(dw, model.linear.weight.grad.ravel())
        _close(db, model.linear.bias.grad[0])
        assert loss.item() == pytest.approx(np.mean((x @ w + b - y) ** 2), rel=1e-12)
    # 2000 steps of lr 0.1 on well-conditioned data reach the normal equations' solution
    w, b = sol.fit_linear_gd(x, y)
    model.fit_closed_form(x, y)
    _close(w, model.linear.weight.data.ravel(), rtol=0, atol=1e-10)
    _close(b, model.linear.bias.data[0], rtol=0, atol=1e-10)


@_check("regression_logistique")
def _logistic(sol: ModuleType) -> None:
    rng = np.random.default_rng(105)
    z = np.concatenate([rng.normal(scale=5, size=50), [-1000.0, -40.0, 0.0, 40.0, 1000.0]])
    np.testing.assert_array_equal(sol.sigmoid(z), Tensor(z).sigmoid().data)  # same stable formula
    x = rng.normal(size=(60, 4))
    y = (x @ np.array([1.0, -1.0, 0.5, 0.0]) + rng.normal(size=60) > 0).astype(int)
    model = LogisticRegression(4, rng=rng)
    for _ in range(3):
        w, b = rng.normal(size=4), float(rng.normal())
        model.linear.weight, model.linear.bias = _param(w.reshape(4, 1)), _param([b])
        loss = model.loss(Tensor(x), y)  # mean binary cross-entropy on logits
        loss.backward()
        got_loss, dw, db = sol.logistic_loss_grad(x, y, w, b)
        _close(got_loss, loss.item())
        _close(dw, model.linear.weight.grad.ravel())
        _close(db, model.linear.bias.grad[0])
        _close(sol.sigmoid(x @ w + b), model.predict_proba(x))
        np.testing.assert_array_equal(sol.predict(x, w, b), model.predict(x))
    # Tie at p = 0.5 exactly (z = 0): the exercise's statement says class 1 when p >= 0.5, models uses p > 0.5.
    model.linear.weight, model.linear.bias = _param(np.zeros((4, 1))), _param([0.0])
    assert sol.predict(x[:1], np.zeros(4), 0.0).tolist() == [1] and model.predict(x[:1]).tolist() == [0]


@_check("mlp_retropropagation")
def _mlp(sol: ModuleType) -> None:
    rng = np.random.default_rng(106)
    x, y = rng.normal(size=(20, 4)), rng.integers(0, 3, size=20)
    w1, b1, w2, b2 = rng.normal(size=(4, 5)), rng.normal(size=5), rng.normal(size=(5, 3)), rng.normal(size=3)
    model = MLP([4, 5, 3], activation="relu", rng=rng)  # Linear -> ReLU -> Linear, mean cross-entropy
    first, last = model.net.layers[0], model.net.layers[-1]
    first.weight, first.bias, last.weight, last.bias = _param(w1), _param(b1), _param(w2), _param(b2)
    loss = model.loss(Tensor(x), y)
    loss.backward()
    got = sol.mlp_gradients(x, y, w1, b1, w2, b2)
    _close(got["loss"], loss.item())
    for name, tensor in (("W1", first.weight), ("b1", first.bias), ("W2", last.weight), ("b2", last.bias)):
        _close(got[name], tensor.grad, atol=1e-15)


@_check("rnn_pas_avant")
def _rnn(sol: ModuleType) -> None:
    rng = np.random.default_rng(107)
    xs, h0 = rng.normal(size=(6, 3)), rng.normal(size=4)
    wxh, whh, b = rng.normal(size=(3, 4)), 0.5 * rng.normal(size=(4, 4)), rng.normal(size=4)
    rnn = RNN(3, 4, cell="rnn", rng=rng)
    # models keeps torch's two biases (b_ih + b_hh); the exercise has one: b_ih = b, b_hh = 0
    cell = rnn.cell
    cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh = _param(wxh), _param(whh), _param(b), _param(
        np.zeros(4))
    out, last = rnn(Tensor(xs[None]), Tensor(h0[None]))  # (1, T, H)
    states = sol.rnn_forward(xs, h0, wxh, whh, b)
    _close(states, out.data[0])
    _close(states[-1], last.data[0])
    batch_x, batch_h = rng.normal(size=(5, 3)), rng.normal(size=(5, 4))  # one step on a batch
    _close(sol.rnn_step(batch_x, batch_h, wxh, whh, b), cell(Tensor(batch_x), Tensor(batch_h)).data)


@_check("word2vec_sgns")
def _word2vec(sol: ModuleType) -> None:
    rng = np.random.default_rng(108)
    model = Word2Vec(12, 6, rng=rng)
    model.w_in.weight, model.w_out.weight = _param(rng.normal(size=(12, 6))), _param(rng.normal(size=(12, 6)))
    v_in, v_out = model.w_in.weight.data, model.w_out.weight.data
    centre, context, negatives = 2, 5, np.array([0, 1, 7, 9])  # distinct ids: no accumulated gradient rows
    loss = model.loss(np.array([centre]), np.array([context]), negatives[None])
    loss.backward()
    got_loss, d_vc, d_uo, d_uneg = sol.sgns_loss_grad(v_in[centre], v_out[context], v_out[negatives])
    _close(got_loss, loss.item())
    _close(d_vc, model.w_in.weight.grad[centre])
    _close(d_uo, model.w_out.weight.grad[context])
    _close(d_uneg, model.w_out.weight.grad[negatives])
    # a batch: models averages the per-pair losses over the batch
    centres, contexts, negs = np.array([3, 4, 8]), np.array([6, 10, 11]), rng.integers(0, 12, size=(3, 5))
    per_pair = [sol.sgns_loss_grad(v_in[c], v_out[o], v_out[n])[0]
                for c, o, n in zip(centres, contexts, negs, strict=True)]
    _close(np.mean(per_pair), model.loss(centres, contexts, negs).item())


@_check("attention")
def _attention(sol: ModuleType) -> None:
    rng = np.random.default_rng(109)
    big = np.array([[1000.0, 1001.0, 1002.0], [-1.0, 0.0, 1.0]])
    for x in (rng.normal(size=(4, 7)), big):
        _close(sol.softmax(x), Tensor(x).softmax(-1).data, atol=1e-16)
    for tq, tk in ((5, 5), (3, 6)):
        q, k, v = rng.normal(size=(tq, 8)), rng.normal(size=(tk, 8)), rng.normal(size=(tk, 3))
        # models is fed a batch of one, (1, T, d); unbatched inputs are checked by the regression test below
        out, weights = _models_attention(q, k, v)
        got_out, got_w = sol.scaled_dot_product_attention(q, k, v)
        _close(got_w, weights, atol=1e-15)
        _close(got_out, out, atol=1e-14)
        # Causal: the exercise lets query i see keys j <= i (top-left aligned); models.causal_mask(tq, tk) aligns
        # the queries with the LAST tq keys (KV-cache convention). Equal when tq == tk; else pass the
        # exercise's mask to models explicitly.
        top_left = np.triu(np.full((tq, tk), -np.inf), k=1)
        if tq == tk:
            np.testing.assert_array_equal(top_left, causal_mask(tq))
        out, weights = _models_attention(q, k, v, top_left)
        got_out, got_w = sol.scaled_dot_product_attention(q, k, v, causal=True)
        _close(got_w, weights, atol=1e-15)
        _close(got_out, out, atol=1e-14)


def _models_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray,
                      mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    out, weights = scaled_dot_product_attention(Tensor(q[None]), Tensor(k[None]), Tensor(v[None]), mask)
    return out.data[0], weights.data[0]


@_check("bloc_transformer")
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
    block.norm1.weight, block.norm1.bias = _param(p["ln1_g"]), _param(p["ln1_b"])
    block.norm2.weight, block.norm2.bias = _param(p["ln2_g"]), _param(p["ln2_b"])
    for proj, name in ((attn.q_proj, "Wq"), (attn.k_proj, "Wk"), (attn.v_proj, "Wv"), (attn.out_proj, "Wo")):
        proj.weight, proj.bias = _param(p[name]), _param(np.zeros(c))  # the exercise's projections have no bias
    ff.linear1.weight, ff.linear1.bias = _param(p["W1"]), _param(p["b1"])
    ff.linear2.weight, ff.linear2.bias = _param(p["W2"]), _param(p["b2"])
    expected = block(Tensor(x[None])).data[0]
    got = sol.transformer_block(x.copy(), p)
    _close(got, expected, rtol=1e-10, atol=1e-12)
    mid = x + attn(block.norm1(Tensor(x[None]))).data[0]  # the premise: no pre-activation near 0
    pre = layer_norm(Tensor(mid), block.norm2.weight, block.norm2.bias).data @ p["W1"] + p["b1"]
    assert np.abs(pre).min() > 10
    ln = layer_norm(Tensor(x), Tensor(p["ln1_g"]), Tensor(p["ln1_b"])).data  # same eps = 1e-5, biased variance
    _close(sol.layer_norm(x, p["ln1_g"], p["ln1_b"]), ln, atol=1e-15)


@_check("echantillonnage_gpt")
def _sampling(sol: ModuleType) -> None:
    rng = np.random.default_rng(111)
    for _ in range(5):
        logits = rng.normal(scale=2, size=9)
        for k in (1, 3, 9):
            for temp in (0.5, 1.0, 2.0):
                # models divides by T then keeps the top k; the exercise filters then divides: top-k is
                # invariant under a positive scale, so both give the same distribution
                expected = filter_probs(logits[None] / temp, top_k=k)[0]
                _close(sol.softmax_temperature(sol.top_k_filter(logits, k), temp), expected, atol=1e-16)
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


# ------------------------------------------------------------------------------------------------------ finance/
def _prices(seed: int, n: int) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2020-01-01", periods=n)
    return pd.Series(100 * np.exp(np.cumsum(rng.normal(0.0004, 0.012, size=n))), index=index, name="close")


@_check("rendements")
def _returns(sol: ModuleType) -> None:
    prices = _prices(201, 80)
    simple = sol.simple_returns(prices.to_numpy())
    np.testing.assert_array_equal(simple, returns(prices, "simple").to_numpy())  # P_t / P_{t-1} - 1, both
    # log: the exercise takes diff(log P), finance log(P_t / P_{t-1}): equal up to rounding
    _close(sol.log_returns(prices.to_numpy()), returns(prices, "log").to_numpy(), rtol=1e-10, atol=1e-16)
    total = sol.cumulative_return(simple)
    _close(total, metrics.equity_curve(pd.Series(simple)).iloc[-1] - 1.0, rtol=1e-12)
    # the total return is the CAGR with one "year" = the whole sample
    _close(total, metrics.cagr(pd.Series(simple), periods_per_year=len(simple)), rtol=1e-12)


@_check("var_historique")
def _historical_var(sol: ModuleType) -> None:
    rng = np.random.default_rng(202)
    for n in (100, 500):
        r = rng.standard_t(4, size=n) * 0.01
        for level in (0.9, 0.95, 0.975, 0.99):
            # both: numpy's linear quantile (type 7) at 1 - level, VaR and ES as positive loss fractions
            res = var_historical(r, level)
            assert sol.historical_var(r, level) == res.var
            assert sol.expected_shortfall(r, level) == res.es
    # h-day VaR: finance compounds overlapping h-day returns; the exercise, fed that sample, gives the same
    h = 10
    r_h = pd.Series(1 + r).rolling(h).apply(np.prod, raw=True).dropna().to_numpy() - 1
    res = var_historical(r, 0.99, horizon=h)
    assert sol.historical_var(r_h, 0.99) == pytest.approx(res.var, rel=1e-10)
    assert sol.expected_shortfall(r_h, 0.99) == pytest.approx(res.es, rel=1e-10)


def _simulate_garch(n: int, omega: float, alpha: float, beta: float, seed: int) -> np.ndarray:
    rng, r, s2 = np.random.default_rng(seed), np.empty(n), omega / (1 - alpha - beta)
    for t in range(n):
        r[t] = math.sqrt(s2) * rng.normal()
        s2 = omega + alpha * r[t] ** 2 + beta * s2
    return r


@_check("garch_vraisemblance")
def _garch(sol: ModuleType) -> None:
    r = 0.0003 + _simulate_garch(1500, 2e-6, 0.08, 0.9, seed=203)
    fit = fit_garch(pd.Series(r, index=pd.bdate_range("2015-01-01", periods=len(r))), "garch", "normal")
    assert fit.converged
    # finance fits arch on 100 x returns with a constant mean; the exercise has no mean, in fractions
    s = fit.scale
    eps, omega = r - fit.params["mu"] / s, fit.params["omega"] / s**2
    alpha, beta = fit.params["alpha[1]"], fit.params["beta[1]"]
    s2_ex = sol.garch11_variance(eps, omega, alpha, beta)
    s2_fin = fit.conditional_volatility.to_numpy() ** 2
    # Start of the recursion: the exercise sets sigma2_0 = var(eps) (population), arch sets
    # sigma2_0 = omega + (alpha + beta) * backcast, backcast = 0.94^j-weighted mean of the first 75 squared
    # residuals about the sample mean (arch's starting values), not about the fitted mu.
    wts, start = 0.94 ** np.arange(75), (r - r.mean())[:75]
    _close(s2_fin[0], omega + (alpha + beta) * np.sum(start**2 * wts / wts.sum()), rtol=1e-9)
    _close(s2_ex[0], eps.var(), rtol=1e-12)
    # the same recursion afterwards: the gap is the initial gap times beta^t
    _close(s2_ex - s2_fin, (s2_ex[0] - s2_fin[0]) * beta ** np.arange(len(r)), rtol=0, atol=1e-9 * s2_fin.mean())
    # Log-likelihood: arch's is the density of the scaled returns, ll(r) = ll(100 r) + n ln 100; the exercise's
    # differs from it only through the first variances, by exactly this amount:
    ll_fin = fit.loglikelihood + len(r) * math.log(s)
    start_gap = -0.5 * np.sum(np.log(s2_ex / s2_fin) + eps**2 * (1 / s2_ex - 1 / s2_fin))
    ll_ex = sol.garch11_loglik(eps, omega, alpha, beta)
    assert ll_ex == pytest.approx(ll_fin + start_gap, rel=1e-9)
    # and finance's maximum-likelihood estimate is a maximum of the exercise's likelihood too
    for i in range(3):
        for factor in (0.9, 1.1):
            theta = [omega, alpha, beta]
            theta[i] *= factor
            if theta[1] + theta[2] < 1:
                assert sol.garch11_loglik(eps, *theta) < ll_ex


@_check("backtest_sma")
def _backtest_sma(sol: ModuleType) -> None:
    prices = _prices(204, 300)
    p = prices.to_numpy()
    for w in (1, 5, 20, 50):  # both from one cumulative sum: bit for bit, NaN during the warm-up
        np.testing.assert_array_equal(sol.sma(p, w), sma_matrix(p, np.array([w]))[:, 0])
    for fast, slow in ((5, 20), (10, 50), (20, 60)):
        pos = sol.crossover_positions(p, fast, slow)
        strat = sol.strategy_returns(p, pos)
        # finance: signal at the close of t, held from t + 1 (lag=1); its series start at the second price.
        # The exercise has no costs; finance's default is 5 bps, so cost_bps=0 first.
        res = backtest(prices, sma_cross(prices, fast, slow), cost_bps=0.0)
        assert pos[0] == 0
        np.testing.assert_array_equal(pos[1:], res.positions.to_numpy())
        np.testing.assert_array_equal(strat[1:], res.returns.to_numpy())
        # with costs: finance charges cost_bps / 1e4 x |change of position| on the day the position starts
        costly = backtest(prices, sma_cross(prices, fast, slow), cost_bps=10.0)
        charged = 10.0 / 1e4 * np.abs(np.diff(pos))
        _close(costly.returns.to_numpy(), strat[1:] - charged, rtol=0, atol=1e-16)


@_check("ratio_sharpe")
def _sharpe(sol: ModuleType) -> None:
    rng = np.random.default_rng(205)
    for n in (12, 60, 252):
        r = rng.normal(0.0004, 0.01, size=n)
        for rf, periods in ((0.0, 252), (0.03, 252), (0.02, 12)):
            # both: annual rf converted as rf / periods, sample std (ddof=1), sqrt(periods) annualisation
            expected = metrics.sharpe_ratio(pd.Series(r), rf=rf, periods_per_year=periods)
            assert sol.sharpe_ratio(r, rf=rf, periods_per_year=periods) == pytest.approx(expected, rel=1e-12)
    # Degenerate series: the exercise raises ValueError, finance reports 0.0 (a summary must not fail)
    for r in ([0.01], [0.01, 0.01, 0.01]):
        with pytest.raises(ValueError):
            sol.sharpe_ratio(r)
        assert metrics.sharpe_ratio(pd.Series(r)) == 0.0


@_check("kupiec_pof")
def _kupiec(sol: ModuleType) -> None:
    rng = np.random.default_rng(206)
    cases = [(250, 0), (250, 2), (250, 12), (250, 250), (1000, 10)] + [
        (int(n), int(rng.integers(0, n + 1))) for n in rng.integers(20, 2000, size=10)]
    for n, x in cases:
        for level in (0.95, 0.99):
            # argument order differs: exercise kupiec_pof(n_obs, n_exceptions), finance (n_exceed, n);
            # p-value: erfc(sqrt(LR / 2)) in the exercise, chi2(1).sf(LR) in finance
            lr, p_value = sol.kupiec_pof(n, x, level)
            expected = kupiec_pof(x, n, level)
            assert lr == pytest.approx(expected["lr"], rel=1e-12, abs=1e-12)
            assert p_value == pytest.approx(expected["p_value"], rel=1e-10, abs=1e-300)
    # the whole chain on a rolling historical-VaR backtest: exceptions R_t < -VaR_t (strict) and the test
    r = pd.Series(rng.standard_t(4, size=900) * 0.01, index=pd.bdate_range("2018-01-01", periods=900))
    bt = var_backtest(r, 0.99, "historical", window=250, refit_every=21)
    x = sol.count_exceptions(bt.returns.to_numpy(), bt.var.to_numpy())
    assert x == bt.tests["n_exceed"] == int(bt.exceedances.sum()) > 0
    lr, p_value = sol.kupiec_pof(bt.tests["n"], x, 0.99)
    # a loss exactly equal to the VaR is not an exception, on both sides
    tie = VaRBacktest(pd.Series([0.02, 0.02, 0.02]), pd.Series([-0.02, -0.03, 0.01]), 0.99, "historical")
    assert sol.count_exceptions(tie.returns, tie.var) == int(tie.exceedances.sum()) == 1
    assert (lr, p_value) == pytest.approx((bt.tests["kupiec"]["lr"], bt.tests["kupiec"]["p_value"]), rel=1e-10)


# ------------------------------------------------------------------------------------------------------- tests
def test_every_exercise_has_a_reference_check() -> None:
    ids = sorted(p.parent.name for p in EXERCISES.glob("*/solution.py"))
    assert len(ids) >= 16
    assert sorted(CHECKS) == ids, "add a check to CHECKS (or list the exercise in the module docstring)"


@pytest.mark.parametrize("exercise_id", sorted(CHECKS))
def test_reference_agrees_with_our_library(exercise_id: str) -> None:
    CHECKS[exercise_id](_load(exercise_id))


def test_models_attention_on_unbatched_inputs() -> None:
    """Regression: Tensor.transpose(-2, -1) used to be the identity on 2-D tensors (Q K instead of Q Kᵀ)."""
    sol = _load("attention")
    rng = np.random.default_rng(112)
    q, k, v = rng.normal(size=(4, 8)), rng.normal(size=(4, 8)), rng.normal(size=(4, 3))
    out, weights = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v))
    _close(weights.data, sol.scaled_dot_product_attention(q, k, v)[1], atol=1e-15)
