"""Seq2seq with Bahdanau and Luong attention against an independent torch float64 implementation with the
same weights; learning the reversal task; greedy decoding and beam search."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from models.engine import Tensor
from models.errors import ShapeError
from models.seq2seq import Seq2Seq, Seq2SeqConfig, reverse_task, token_accuracy, train_seq2seq
from models.seq2seq_attention import ATTENTIONS, make_attention


def _t(a: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def _torch_scores(kind: str, s: torch.Tensor, h: torch.Tensor, p: dict[str, torch.Tensor]) -> torch.Tensor:
    """score(s, h_j) for s (B, Hq), h (B, S, Hk), written straight from the papers' equations."""
    if kind == "bahdanau":  # v^T tanh(W_s s + W_h h)
        return torch.einsum(
            "a,bsa->bs", p["v"], torch.tanh((s @ p["w_s.weight"])[:, None] + h @ p["w_h.weight"])
        )
    if kind == "dot":  # s^T h
        return torch.einsum("bh,bsh->bs", s, h)
    if kind == "general":  # s^T W h
        return torch.einsum("bq,qk,bsk->bs", s, p["weight"], h)
    both = torch.cat([s[:, None].expand(-1, h.shape[1], -1), h], dim=-1)  # concat: v^T tanh(W [s; h])
    return torch.tanh(both @ p["w.weight"]) @ p["v"]


def _torch_attention(
    kind: str, s: torch.Tensor, h: torch.Tensor, p: dict[str, torch.Tensor]
) -> tuple[torch.Tensor, torch.Tensor]:
    weights = torch.softmax(_torch_scores(kind, s, h, p), dim=-1)  # (B, S)
    return torch.einsum("bs,bsh->bh", weights, h), weights


@pytest.mark.parametrize("kind", ATTENTIONS)
@pytest.mark.parametrize("masked", [False, True])
def test_attention_scores_and_context_match_torch(kind: str, masked: bool, rng: np.random.Generator) -> None:
    attn = make_attention(kind, 6, 6, 5, rng=rng)
    s_np, h_np = rng.standard_normal((3, 6)), rng.standard_normal((3, 4, 6))
    mask = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 1, 1]], dtype=bool) if masked else None
    s, h = Tensor(s_np, requires_grad=True), Tensor(h_np, requires_grad=True)
    ts, th = _t(s_np, True), _t(h_np, True)
    tp = {name: _t(p.data, True) for name, p in attn.named_parameters()}

    scores = attn.score(s, attn.project_keys(h))
    tscores = _torch_scores(kind, ts, th, tp)
    np.testing.assert_allclose(scores.data, tscores.detach().numpy(), atol=1e-12)

    context, weights = attn(s, h, mask)
    tmask = None if mask is None else torch.tensor(~mask)
    tweights = torch.softmax(tscores if tmask is None else tscores.masked_fill(tmask, -torch.inf), dim=-1)
    tcontext = torch.einsum("bs,bsh->bh", tweights, th)
    np.testing.assert_allclose(weights.data, tweights.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(context.data, tcontext.detach().numpy(), atol=1e-12)
    if masked:
        assert weights.data[1, 2:].tolist() == [0.0, 0.0] and weights.data[2, 1] == 0.0

    g_ctx, g_w = rng.standard_normal(context.shape), rng.standard_normal(weights.shape)
    ((context * g_ctx).sum() + (weights * g_w).sum()).backward()
    ((tcontext * _t(g_ctx)).sum() + (tweights * _t(g_w)).sum()).backward()
    np.testing.assert_allclose(s.grad, ts.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(h.grad, th.grad.numpy(), atol=1e-12)
    for name, p in attn.named_parameters():
        np.testing.assert_allclose(p.grad, tp[name].grad.numpy(), atol=1e-12, err_msg=name)


def test_attention_rejects_bad_names_and_shapes(rng: np.random.Generator) -> None:
    with pytest.raises(ValueError, match="bahdanau, dot, general, concat"):
        make_attention("cosine", 4, 4, 4, rng=rng)
    with pytest.raises(ShapeError, match="dot attention"):
        make_attention("dot", 4, 4, 4, rng=rng)(Tensor(np.ones((2, 3))), Tensor(np.ones((2, 5, 4))))


def _torch_rnn(model: Seq2Seq) -> tuple[torch.nn.Module, torch.nn.Module]:
    """torch encoder (nn.GRU / nn.LSTM) and decoder cell carrying the model's weights."""
    c = model.config
    enc = (torch.nn.GRU if c.cell == "gru" else torch.nn.LSTM)(c.embed, c.hidden, batch_first=True).double()
    dec = (torch.nn.GRUCell if c.cell == "gru" else torch.nn.LSTMCell)(c.embed + c.hidden, c.hidden).double()
    with torch.no_grad():
        for ours, theirs, suffix in ((model.encoder.cell, enc, "_l0"), (model.decoder, dec, "")):
            for w in ("weight_ih", "weight_hh"):
                getattr(theirs, w + suffix).copy_(_t(getattr(ours, w).data.T))
            for b in ("bias_ih", "bias_hh"):
                getattr(theirs, b + suffix).copy_(_t(getattr(ours, b).data))
    return enc, dec


def _torch_seq2seq(
    model: Seq2Seq,
    p: dict[str, torch.Tensor],
    enc: torch.nn.Module,
    dec: torch.nn.Module,
    src: np.ndarray,
    tgt_in: np.ndarray,
) -> torch.Tensor:
    """Bahdanau (attend with s_{t-1}, then recur) or Luong (recur with input feeding, then attend)."""
    c = model.config
    attn = {k.removeprefix("attention."): v for k, v in p.items() if k.startswith("attention.")}
    keys, last = enc(p["src_embed.weight"][torch.tensor(src)])  # (B, S, H)
    state = last[0] if c.cell == "gru" else (last[0][0], last[1][0])
    hidden = (lambda st: st) if c.cell == "gru" else (lambda st: st[0])
    feed = torch.zeros(len(src), c.hidden, dtype=torch.float64)
    logits = []
    for t in range(tgt_in.shape[1]):
        e = p["tgt_embed.weight"][torch.tensor(tgt_in[:, t])]
        if c.attention == "bahdanau":
            ctx, _ = _torch_attention("bahdanau", hidden(state), keys, attn)
            state = dec(torch.cat([e, ctx], -1), state)
            logits.append(torch.cat([hidden(state), ctx, e], -1) @ p["out.weight"] + p["out.bias"])
        else:
            state = dec(torch.cat([e, feed], -1), state)
            ctx, _ = _torch_attention(c.attention, hidden(state), keys, attn)
            feed = torch.tanh(torch.cat([ctx, hidden(state)], -1) @ p["combine.weight"])
            logits.append(feed @ p["out.weight"] + p["out.bias"])
    return torch.stack(logits, dim=1)  # (B, T, V)


@pytest.mark.parametrize(
    ("attention", "cell"),
    [("bahdanau", "gru"), ("bahdanau", "lstm"), ("dot", "gru"), ("general", "lstm"), ("concat", "gru")],
)
def test_encoder_decoder_forward_loss_and_gradients_match_torch(
    attention: str, cell: str, rng: np.random.Generator
) -> None:
    cfg = Seq2SeqConfig(9, 11, embed=4, hidden=6, attention=attention, cell=cell, attn_size=5)  # type: ignore[arg-type]
    model = Seq2Seq(cfg, rng=rng)
    enc, dec = _torch_rnn(model)
    p = {
        n: _t(v.data, True) for n, v in model.named_parameters() if not n.startswith(("encoder.", "decoder."))
    }
    src, tgt = rng.integers(3, 9, (3, 5)), rng.integers(3, 11, (3, 4))
    tgt[0, -1] = cfg.pad  # padding is left out of the loss

    loss = model.loss(src, tgt)
    tlogits = _torch_seq2seq(model, p, enc, dec, src, model.shift_right(tgt))
    tloss = torch.nn.functional.cross_entropy(
        tlogits.reshape(-1, 11), torch.tensor(tgt).reshape(-1), ignore_index=cfg.pad
    )
    logits = model(src, model.shift_right(tgt))
    np.testing.assert_allclose(logits.data, tlogits.detach().numpy(), atol=1e-12)
    assert loss.item() == pytest.approx(tloss.item(), abs=1e-12)
    assert model.last_weights is not None and model.last_weights.shape == (3, 4, 5)

    loss.backward()
    tloss.backward()
    for name, param in model.named_parameters():
        if name.startswith(("encoder.", "decoder.")):
            module, attr = (
                (enc, name.split(".")[-1] + "_l0")
                if name.startswith("encoder.")
                else (dec, name.split(".")[-1])
            )
            ref = getattr(module, attr).grad.numpy()
            ref = ref.T if attr.startswith("weight") else ref
        else:
            ref = p[name].grad.numpy()
        np.testing.assert_allclose(param.grad, ref, atol=1e-12, err_msg=name)


@pytest.mark.parametrize(("attention", "cell", "shift"), [("bahdanau", "gru", 0), ("dot", "lstm", 1)])
def test_learns_to_reverse_short_sequences(attention: str, cell: str, shift: int) -> None:
    rng = np.random.default_rng(0)
    src, tgt = reverse_task(1000, length=6, shift=shift, rng=rng)
    src_val, tgt_val = reverse_task(200, length=6, shift=shift, rng=rng)
    cfg = Seq2SeqConfig(13, 13, embed=16, hidden=32, attention=attention, cell=cell)  # type: ignore[arg-type]
    model = Seq2Seq(cfg, rng=rng)
    history = train_seq2seq(model, src, tgt, epochs=8, rng=rng, src_val=src_val, tgt_val=tgt_val)
    tokens, sequences = token_accuracy(model, src_val, tgt_val)
    assert tokens >= 0.90 and history[-1]["accuracy"] == tokens
    assert history[-1]["loss"] < 0.2 * history[0]["loss"]
    assert sequences >= 0.5
    alignment = model.last_weights  # (B, T, S) from the validation loss: output i looks at input S-1-i
    assert alignment is not None
    assert (alignment[:, :6].argmax(-1) == np.arange(6)[::-1]).mean() >= 0.8


def test_reverse_task_is_seeded_and_exact() -> None:
    src, tgt = reverse_task(4, length=3, n_symbols=5, shift=1, rng=np.random.default_rng(7))
    sym = np.random.default_rng(7).integers(0, 5, (4, 3))
    np.testing.assert_array_equal(src, sym + 3)
    np.testing.assert_array_equal(tgt[:, :3], (sym[:, ::-1] + 1) % 5 + 3)
    assert tgt[:, 3].tolist() == [2, 2, 2, 2]
    with pytest.raises(ValueError, match="length >= 1"):
        reverse_task(2, length=0, rng=np.random.default_rng(0))


@pytest.mark.parametrize("attention", ["bahdanau", "general"])
def test_beam_of_width_one_is_greedy(attention: str, rng: np.random.Generator) -> None:
    model = Seq2Seq(Seq2SeqConfig(9, 7, embed=4, hidden=8, attention=attention), rng=rng)  # type: ignore[arg-type]
    src = rng.integers(3, 9, (6, 5))
    greedy = model.greedy(src, 7)
    for row, out in zip(src, greedy, strict=True):
        ends = np.flatnonzero(out == model.config.eos)
        expected = out[: ends[0] + 1] if ends.size else out
        np.testing.assert_array_equal(model.beam_search(row, 7, beam_width=1), expected)


def test_wide_beam_finds_the_exhaustive_optimum(rng: np.random.Generator) -> None:
    cfg = Seq2SeqConfig(8, 5, embed=4, hidden=6, attention="concat")
    model = Seq2Seq(cfg, rng=rng)
    model.out.weight.data *= 8.0  # sharper, uneven distributions: greedy and optimum tend to differ
    src = rng.integers(3, 8, (1, 4))
    candidates = [[cfg.eos]]  # every finished sequence of length <= 3, and every unfinished one of length 3
    others = [k for k in range(5) if k != cfg.eos]
    for n in (1, 2):
        candidates += [[*seq, cfg.eos] for seq in itertools.product(others, repeat=n)]
    candidates += [list(seq) for seq in itertools.product(others, repeat=3)]
    scores = []
    for seq in candidates:
        tgt = np.array([seq])
        logp = model(src, model.shift_right(tgt)).log_softmax(-1).data[0]
        scores.append(logp[np.arange(len(seq)), seq].sum())
    best = candidates[int(np.argmax(scores))]
    assert model.beam_search(src[0], 3, beam_width=1).tolist() != best  # greedy misses it on this seed
    np.testing.assert_array_equal(model.beam_search(src[0], 3, beam_width=125), best)


def test_free_running_forward_is_greedy_and_needs_rng(rng: np.random.Generator) -> None:
    model = Seq2Seq(Seq2SeqConfig(9, 7, embed=4, hidden=8, attention="dot", cell="lstm"), rng=rng)
    src = rng.integers(3, 9, (4, 5))
    tgt_in = np.full((4, 6), model.config.bos)
    with pytest.raises(ValueError, match="rng"):
        model(src, tgt_in, teacher_forcing=0.5)
    free = model(src, tgt_in, teacher_forcing=0.0, rng=rng).data.argmax(-1)  # always reads its own argmax
    greedy = model.greedy(src, 6)
    for f, g in zip(free, greedy, strict=True):
        ends = np.flatnonzero(g == model.config.eos)
        n = ends[0] + 1 if ends.size else len(g)
        np.testing.assert_array_equal(f[:n], g[:n])


def test_bad_inputs_raise_clear_errors(rng: np.random.Generator) -> None:
    with pytest.raises(ValueError, match="'gru' or 'lstm'"):
        Seq2Seq(Seq2SeqConfig(5, 5, cell="rnn"), rng=rng)  # type: ignore[arg-type]
    with pytest.raises(ShapeError, match=r"\(batch, length\)"):
        Seq2Seq(Seq2SeqConfig(5, 5), rng=rng).greedy(np.array([3, 4]), 3)


def test_seq2seq_demo_reverses_digits_reproducibly() -> None:
    import json

    from models import demos
    from models.errors import UnknownDatasetError

    assert demos.DEMOS["seq2seq"][0] == ("reverse",) and "reverse" in demos.DATASETS
    result = demos.demo("seq2seq", "reverse", 6, seed=1)
    assert json.loads(json.dumps(result)) == result
    assert [r["epoch"] for r in result["history"]] == [1, 2, 3, 4, 5, 6]
    assert result["test_accuracy"] >= 0.90
    for sample in result["samples"]:
        source, output = sample.split(" → ")
        assert output == " ".join(reversed(source.split()))
    assert demos.demo("seq2seq", "reverse", 2, seed=1)["history"] == result["history"][:2]
    with pytest.raises(UnknownDatasetError, match="valid datasets for it: reverse"):
        demos.demo("seq2seq", "iris")
