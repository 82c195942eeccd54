"""One small runner per demo model; :func:`models.demos.demo` picks and times them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from models import data as D
from models.demos.common import LM_STEPS_PER_EPOCH, EpochCallback, load_classification
from models.optim import Adam
from models.train import accuracy, fit

Runner = Callable[
    [str, int, np.random.Generator, "str | Path | None", "EpochCallback | None"], dict[str, Any]
]


def _classifier(
    build: Callable[[D.Split, np.random.Generator], Any],
    *,
    lr: float,
    batch_size: int,
    flat: bool = True,
    cosine: bool = False,
) -> Runner:
    def run(
        dataset: str, epochs: int, rng: np.random.Generator, course_dir: Any, on_epoch: Any
    ) -> dict[str, Any]:
        split = load_classification(dataset, rng, flat=flat)
        model = build(split, rng)
        history = fit(
            model,
            split.x_train,
            split.y_train,
            x_val=split.x_val,
            y_val=split.y_val,
            optimizer=Adam(model.parameters(), lr=lr),
            epochs=epochs,
            batch_size=batch_size,
            rng=rng,
            cosine=cosine,
            on_epoch=on_epoch,
        )
        return {
            "history": history,
            "test_accuracy": accuracy(model, split.x_test, split.y_test),
            "parameters": model.num_parameters(),
        }

    return run


def _logistic(split: D.Split, rng: np.random.Generator) -> Any:
    from models.linear import LogisticRegression

    return LogisticRegression(split.x_train.shape[1], int(split.y_train.max()) + 1, l2=1e-3, rng=rng)


def _mlp(split: D.Split, rng: np.random.Generator) -> Any:
    from models.mlp import MLP

    return MLP([split.x_train.shape[1], 128, int(split.y_train.max()) + 1], rng=rng)


def _cnn(split: D.Split, rng: np.random.Generator) -> Any:
    from models.conv import LeNet

    return LeNet(10, image_size=8, channels=(16, 32), rng=rng)


def _linear(
    dataset: str, epochs: int, rng: np.random.Generator, course_dir: Any, on_epoch: Any
) -> dict[str, Any]:
    from models.linear import LinearRegression

    x, _ = D.load_iris()
    features, target = x[:, [0, 1, 3]], x[:, 2]  # petal length from the three other measurements
    order = rng.permutation(len(x))
    tr, va, te = order[:105], order[105:127], order[127:]
    st = D.Standardizer().fit(features[tr])
    f = st.transform(features)
    model = LinearRegression(3, rng=rng)
    history = fit(
        model,
        f[tr],
        target[tr],
        x_val=f[va],
        y_val=target[va],
        optimizer=Adam(model.parameters(), lr=0.1),
        epochs=epochs,
        batch_size=16,
        rng=rng,
        classify=False,
        on_epoch=on_epoch,
    )
    pred = model.predict(f[te])
    r2 = 1 - ((pred - target[te]) ** 2).sum() / ((target[te] - target[te].mean()) ** 2).sum()
    exact = LinearRegression(3, rng=rng).fit_closed_form(f[tr], target[tr])
    return {
        "history": history,
        "test_r2": float(r2),
        "weights": model.linear.weight.data.ravel().tolist(),
        "closed_form_weights": exact.linear.weight.data.ravel().tolist(),
    }


def _char_data(course_dir: Any) -> tuple[Any, np.ndarray, np.ndarray, float]:
    from models.lm import unigram_entropy
    from models.tokenizers import CharTokenizer

    text = D.load_course_text(course_dir)
    tok = CharTokenizer.from_text(text)
    ids = tok.encode(text)
    n = int(0.9 * len(ids))
    return tok, ids[:n], ids[n:], unigram_entropy(ids[:n], tok.vocab_size)


def _language_model(kind: str) -> Runner:
    def run(
        dataset: str, epochs: int, rng: np.random.Generator, course_dir: Any, on_epoch: Any
    ) -> dict[str, Any]:
        from models.lm import train_lm

        tok, train_ids, val_ids, entropy = _char_data(course_dir)
        prompt = tok.encode("Le modèle ") if set("Le modèle ") <= set(tok.stoi) else train_ids[:10]
        if kind == "gpt":
            from models.gpt import GPT, GPTConfig

            cfg = GPTConfig(block_size=64, vocab_size=tok.vocab_size, n_layer=2, n_head=4, n_embd=64)
            model: Any = GPT(cfg, rng=rng)
            block, lr = cfg.block_size, 3e-3
        else:
            from models.rnn import CharRNN

            model, block, lr = CharRNN(tok.vocab_size, hidden=128, cell=kind, rng=rng), 32, 1e-2  # type: ignore[arg-type]
        history = train_lm(
            model,
            train_ids,
            val_ids,
            steps=epochs * LM_STEPS_PER_EPOCH,
            block_size=block,
            batch_size=32,
            lr=lr,
            eval_every=LM_STEPS_PER_EPOCH,
            rng=rng,
            on_eval=on_epoch,
        )
        samples = [tok.decode(model.generate(prompt[None], 200, temperature=0.8, rng=rng)[0])]
        if kind == "gpt":
            samples.append(tok.decode(model.generate(prompt[None], 120, top_p=0.9, rng=rng)[0]))
            samples.append(tok.decode(model.beam_search(prompt, 60, beam_width=3)))
        return {
            "history": history,
            "unigram_entropy": entropy,
            "vocab_size": tok.vocab_size,
            "samples": samples,
            "parameters": model.num_parameters(),
        }

    return run


def _word2vec(
    dataset: str, epochs: int, rng: np.random.Generator, course_dir: Any, on_epoch: Any
) -> dict[str, Any]:
    from models.tokenizers import WordTokenizer
    from models.word2vec import train_word2vec

    text = D.load_course_text(course_dir)
    tok = WordTokenizer.from_text(text, min_count=3)
    sentences = [tok.encode(s) for s in text.split(".") if s.strip()]
    model, history = train_word2vec(
        sentences, tok.vocab_size, dim=32, epochs=epochs, rng=rng, on_epoch=on_epoch
    )
    probes = [
        w for w in ("modèle", "gradient", "volatilité", "attention", "données", "réseau") if w in tok.stoi
    ]
    samples = [
        f"{w} → " + ", ".join(tok.itos[i] for i, _ in model.most_similar(tok.stoi[w], 5)) for w in probes
    ]
    return {"history": history, "vocab_size": tok.vocab_size, "samples": samples}


def _autoencoder(kind: str) -> Runner:
    def run(
        dataset: str, epochs: int, rng: np.random.Generator, course_dir: Any, on_epoch: Any
    ) -> dict[str, Any]:
        from models.autoencoder import VAE, Autoencoder

        split = load_classification("digits", rng)
        model: Any = Autoencoder(64, rng=rng) if kind == "autoencoder" else VAE(64, rng=rng)
        from models.train import evaluate_loss
        from models.train import fit as fit_loop

        history = fit_loop(
            model,
            split.x_train,
            split.y_train,
            x_val=split.x_val,
            y_val=split.y_val,
            optimizer=Adam(model.parameters(), lr=1e-2),
            epochs=epochs,
            batch_size=64,
            rng=rng,
            classify=False,
            on_epoch=on_epoch,
        )
        return {"history": history, "test_loss": evaluate_loss(model, split.x_test, split.y_test)}

    return run


def _digits(ids: np.ndarray) -> str:
    """Token ids 3..12 of the reversal task as the digits 0..9 (pad, bos and eos dropped)."""
    return " ".join(str(int(i) - 3) for i in ids if i >= 3)


def _seq2seq(
    dataset: str, epochs: int, rng: np.random.Generator, course_dir: Any, on_epoch: Any
) -> dict[str, Any]:
    from models.seq2seq import Seq2Seq, Seq2SeqConfig, reverse_task, token_accuracy, train_seq2seq

    (src, tgt), (src_val, tgt_val), (src_test, tgt_test) = (
        reverse_task(n, length=6, rng=rng) for n in (1000, 200, 200)
    )
    model = Seq2Seq(Seq2SeqConfig(13, 13, embed=16, hidden=32, attention="bahdanau"), rng=rng)
    history = train_seq2seq(
        model, src, tgt, epochs=epochs, rng=rng, src_val=src_val, tgt_val=tgt_val, on_epoch=on_epoch
    )
    tokens, sequences = token_accuracy(model, src_test, tgt_test)
    samples = [f"{_digits(s)} → {_digits(model.beam_search(s, 7, beam_width=3))}" for s in src_test[:3]]
    return {
        "history": history,
        "test_accuracy": tokens,
        "test_sequence_accuracy": sequences,
        "samples": samples,
        "parameters": model.num_parameters(),
    }


RUNNERS: dict[str, Runner] = {
    "linear": _linear,
    "logistic": _classifier(_logistic, lr=0.05, batch_size=16),
    "mlp": _classifier(_mlp, lr=0.01, batch_size=32),
    "cnn": _classifier(_cnn, lr=0.005, batch_size=32, flat=False, cosine=True),
    "rnn": _language_model("rnn"),
    "lstm": _language_model("lstm"),
    "gru": _language_model("gru"),
    "gpt": _language_model("gpt"),
    "word2vec": _word2vec,
    "autoencoder": _autoencoder("autoencoder"),
    "vae": _autoencoder("vae"),
    "seq2seq": _seq2seq,
}
