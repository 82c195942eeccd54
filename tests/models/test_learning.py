"""Tiny learning tests on real small data: iris, digits, the course text, a planted word2vec corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.data import Standardizer, load_course_text, stratified_split
from models.demos import demo, load_classification
from models.gpt import GPT, GPTConfig
from models.linear import LinearRegression
from models.lm import train_lm, unigram_entropy
from models.optim import SGD, Adam
from models.tokenizers import CharTokenizer
from models.train import fit
from models.word2vec import train_word2vec

COURSE = Path(__file__).resolve().parents[2] / "knowledge" / "course"


def test_logistic_regression_on_iris_reaches_090() -> None:
    result = demo("logistic", "iris", 30)
    assert result["test_accuracy"] >= 0.90
    assert result["history"][-1]["loss"] < result["history"][0]["loss"]


def test_mlp_on_digits_reaches_095() -> None:
    assert demo("mlp", "digits", 20)["test_accuracy"] >= 0.95


@pytest.mark.slow
def test_cnn_on_digits_reaches_095() -> None:
    assert demo("cnn", "digits", 12)["test_accuracy"] >= 0.95


def test_linear_regression_gradient_descent_reaches_the_closed_form(rng: np.random.Generator) -> None:
    x = rng.standard_normal((200, 3))
    y = x @ np.array([2.0, -1.0, 0.0]) + 0.5 + 0.1 * rng.standard_normal(200)
    exact = LinearRegression(3, rng=rng).fit_closed_form(x, y)
    theta, *_ = np.linalg.lstsq(np.hstack([x, np.ones((200, 1))]), y, rcond=None)
    np.testing.assert_allclose(exact.linear.weight.data.ravel(), theta[:3], atol=1e-12)
    gd = LinearRegression(3, rng=rng)
    fit(gd, x, y, optimizer=SGD(gd.parameters(), lr=0.1), epochs=200, batch_size=200, rng=rng, classify=False)
    np.testing.assert_allclose(gd.linear.weight.data.ravel(), theta[:3], atol=1e-6)
    ridge = LinearRegression(3, l2=0.5, rng=rng).fit_closed_form(x, y)
    ref = np.linalg.solve(
        x.T @ x - np.outer(x.sum(0), x.sum(0)) / 200 + 50 * np.eye(3), (x - x.mean(0)).T @ (y - y.mean())
    )  # ridge = centred normal equations + (n l2 / 2) I
    np.testing.assert_allclose(ridge.linear.weight.data.ravel(), ref, atol=1e-10)
    lasso = LinearRegression(3, l1=0.05, rng=rng)
    fit(
        lasso,
        x,
        y,
        optimizer=Adam(lasso.parameters(), lr=0.01),
        epochs=300,
        batch_size=200,
        rng=rng,
        classify=False,
    )
    w = lasso.linear.weight.data.ravel()
    assert abs(w[2]) < 5e-3 and abs(w[0]) > 1.5  # L1 drives the useless feature to (about) zero


def test_word2vec_finds_planted_neighbours(rng: np.random.Generator) -> None:
    groups = np.arange(30).reshape(6, 5)  # six topics of five words; a sentence stays within one topic
    sentences = [rng.choice(groups[rng.integers(6)], 8) for _ in range(600)]
    for mode in ("skipgram", "cbow"):
        model, history = train_word2vec(sentences, 30, dim=16, epochs=3, lr=0.02, mode=mode, rng=rng)
        assert history[-1]["loss"] < history[0]["loss"]
        for word in range(30):
            assert all(i // 5 == word // 5 for i, _ in model.most_similar(word, 3)), (mode, word)


def test_autoencoders_beat_the_mean_image() -> None:
    split = load_classification("digits", np.random.default_rng(0))  # the split demo(seed=0) makes
    p = np.clip(split.x_train.mean(axis=0), 1e-6, 1 - 1e-6)  # a code-free model: every pixel at its mean
    x = split.x_test
    baseline = float(-(x * np.log(p) + (1 - x) * np.log(1 - p)).mean())
    ae = demo("autoencoder", "digits", 20)
    assert ae["test_loss"] < 0.75 * baseline
    vae = demo("vae", "digits", 20)  # negative ELBO per image: summed over the 64 pixels, plus the KL term
    assert vae["test_loss"] < 0.985 * 64 * baseline


def test_lstm_language_model_beats_the_unigram_model() -> None:
    result = demo("lstm", "course", 3, course_dir=COURSE)
    assert result["history"][-1]["val_loss"] < result["unigram_entropy"] - 0.4
    assert result["samples"][0].startswith("Le modèle ")


@pytest.mark.slow
def test_mini_gpt_validation_loss_ends_well_below_unigram_entropy(capsys: pytest.CaptureFixture[str]) -> None:
    text = load_course_text(COURSE)  # the shipped French text when the course is not there
    tok = CharTokenizer.from_text(text)
    ids = tok.encode(text)
    n = int(0.9 * len(ids))
    entropy = unigram_entropy(ids[:n], tok.vocab_size)
    rng = np.random.default_rng(0)
    cfg = GPTConfig(block_size=32, vocab_size=tok.vocab_size, n_layer=2, n_head=4, n_embd=64)
    model = GPT(cfg, rng=rng)
    history = train_lm(
        model, ids[:n], ids[n:], steps=600, block_size=32, batch_size=32, lr=3e-3, eval_every=100, rng=rng
    )
    final = history[-1]["val_loss"]
    sample = tok.decode(model.generate(tok.encode("Le ")[None], 200, temperature=0.8, rng=rng)[0])
    with capsys.disabled():
        print(f"\nmini-GPT: unigram entropy {entropy:.3f} nats, validation loss {final:.3f}\n{sample}\n")
    assert final < entropy - 0.8
    assert history[0]["val_loss"] > final


def test_stratified_split_keeps_class_proportions(rng: np.random.Generator) -> None:
    y = np.repeat([0, 1, 2], [50, 30, 20])
    s = stratified_split(np.arange(100.0)[:, None], y, val=0.2, test=0.2, rng=rng)
    assert np.bincount(s.y_test).tolist() == [10, 6, 4] and np.bincount(s.y_val).tolist() == [10, 6, 4]
    assert sorted(np.concatenate([s.x_train, s.x_val, s.x_test]).ravel().tolist()) == list(range(100))
    z = Standardizer().fit_transform(np.array([[1.0, 5.0], [3.0, 5.0]]))
    assert z.tolist() == [[-1.0, 0.0], [1.0, 0.0]]
