"""RNN/LSTM/GRU cells, attention, the Transformer block and GPT against torch modules with the same
weights."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.attention import MultiHeadAttention, causal_mask, sinusoidal_positions
from models.engine import Tensor
from models.gpt import GPT, GPTConfig, filter_probs
from models.rnn import GRUCell, LSTMCell, RNNCell
from models.tokenizers import CharTokenizer, WordTokenizer
from models.transformer import Block, DecoderBlock


def _t(a: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def _copy(dst: torch.Tensor, src: np.ndarray) -> None:
    with torch.no_grad():
        dst.copy_(_t(src))


@pytest.mark.parametrize("name", ["rnn", "lstm", "gru"])
def test_recurrent_cells_match_torch_over_a_sequence(name: str, rng: np.random.Generator) -> None:
    ours_cls, ref_cls = {
        "rnn": (RNNCell, torch.nn.RNNCell),
        "lstm": (LSTMCell, torch.nn.LSTMCell),
        "gru": (GRUCell, torch.nn.GRUCell),
    }[name]
    cell, ref = ours_cls(3, 5, rng=rng), ref_cls(3, 5).double()
    for attr in ("weight_ih", "weight_hh"):
        _copy(getattr(ref, attr), getattr(cell, attr).data.T)
    for attr in ("bias_ih", "bias_hh"):
        _copy(getattr(ref, attr), getattr(cell, attr).data)
    xs = rng.standard_normal((4, 2, 3))  # (T, B, C)
    state = cell.initial_state(2, np.float64)
    tstate = None
    outs, touts = [], []
    for x in xs:
        state = cell(Tensor(x), state)
        tstate = ref(_t(x), tstate)
        outs.append(state[0] if isinstance(state, tuple) else state)
        touts.append(tstate[0] if isinstance(tstate, tuple) else tstate)
    for o, t in zip(outs, touts, strict=True):
        np.testing.assert_allclose(o.data, t.detach().numpy(), atol=1e-12)
    w = rng.standard_normal((2, 5))
    (outs[-1] * w).sum().backward()
    (touts[-1] * _t(w)).sum().backward()
    for attr in ("weight_ih", "weight_hh"):
        np.testing.assert_allclose(getattr(cell, attr).grad, getattr(ref, attr).grad.numpy().T, atol=1e-12)
    np.testing.assert_allclose(cell.bias_hh.grad, ref.bias_hh.grad.numpy(), atol=1e-12)


def _load_mha(ours: MultiHeadAttention, ref: torch.nn.MultiheadAttention) -> None:
    w = np.concatenate([ours.q_proj.weight.data.T, ours.k_proj.weight.data.T, ours.v_proj.weight.data.T])
    b = np.concatenate([ours.q_proj.bias.data, ours.k_proj.bias.data, ours.v_proj.bias.data])
    _copy(ref.in_proj_weight, w)
    _copy(ref.in_proj_bias, b)
    _copy(ref.out_proj.weight, ours.out_proj.weight.data.T)
    _copy(ref.out_proj.bias, ours.out_proj.bias.data)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("heads", [1, 4])
def test_multi_head_attention_matches_torch(causal: bool, heads: int, rng: np.random.Generator) -> None:
    mha, ref = (
        MultiHeadAttention(8, heads, causal=causal, rng=rng),
        torch.nn.MultiheadAttention(8, heads, batch_first=True).double(),
    )
    _load_mha(mha, ref)
    x = rng.standard_normal((2, 5, 8))
    xo, xt = Tensor(x, requires_grad=True), _t(x, grad=True)
    out = mha(xo)
    tout, tweights = ref(
        xt, xt, xt, attn_mask=_t(causal_mask(5)) if causal else None, average_attn_weights=False
    )
    np.testing.assert_allclose(out.data, tout.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(mha.last_weights, tweights.detach().numpy(), atol=1e-12)
    w = rng.standard_normal(out.shape)
    (out * w).sum().backward()
    (tout * _t(w)).sum().backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(mha.q_proj.weight.grad.T, ref.in_proj_weight.grad.numpy()[:8], atol=1e-12)


def _load_block(block: Block, ref: torch.nn.Module) -> None:
    _load_mha(block.self_attn, ref.self_attn)
    for ours, theirs in ((block.ff.linear1, ref.linear1), (block.ff.linear2, ref.linear2)):
        _copy(theirs.weight, ours.weight.data.T)
        _copy(theirs.bias, ours.bias.data)
    for ours, theirs in ((block.norm1, ref.norm1), (block.norm2, ref.norm2)):
        _copy(theirs.weight, ours.weight.data)
        _copy(theirs.bias, ours.bias.data)


def _torch_block(d: int, heads: int) -> torch.nn.TransformerEncoderLayer:
    return torch.nn.TransformerEncoderLayer(
        d, heads, 4 * d, dropout=0.0, activation="gelu", batch_first=True, norm_first=True
    ).double()


@pytest.mark.parametrize("causal", [False, True])
def test_pre_ln_transformer_block_matches_torch(causal: bool, rng: np.random.Generator) -> None:
    block, ref = Block(8, 2, causal=causal, rng=rng), _torch_block(8, 2)
    _load_block(block, ref)
    block.norm1.weight.data = rng.standard_normal(8)  # non-trivial LayerNorm parameters
    _copy(ref.norm1.weight, block.norm1.weight.data)
    x = rng.standard_normal((2, 6, 8))
    xo, xt = Tensor(x, requires_grad=True), _t(x, grad=True)
    out = block(xo)
    tout = ref(xt, src_mask=_t(causal_mask(6)) if causal else None)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), atol=1e-11)
    (out**2).sum().backward()
    (tout**2).sum().backward()
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(block.ff.linear1.weight.grad.T, ref.linear1.weight.grad.numpy(), atol=1e-10)


def test_decoder_block_matches_torch(rng: np.random.Generator) -> None:
    block = DecoderBlock(8, 2, rng=rng)
    ref = torch.nn.TransformerDecoderLayer(
        8, 2, 32, dropout=0.0, activation="gelu", batch_first=True, norm_first=True
    ).double()
    _load_mha(block.self_attn, ref.self_attn)
    _load_mha(block.cross_attn, ref.multihead_attn)
    for ours, theirs in ((block.ff.linear1, ref.linear1), (block.ff.linear2, ref.linear2)):
        _copy(theirs.weight, ours.weight.data.T)
        _copy(theirs.bias, ours.bias.data)
    x, mem = rng.standard_normal((2, 4, 8)), rng.standard_normal((2, 5, 8))
    out = block(Tensor(x), Tensor(mem))
    tout = ref(_t(x), _t(mem), tgt_mask=_t(causal_mask(4)))
    np.testing.assert_allclose(out.data, tout.detach().numpy(), atol=1e-11)


def test_gpt_forward_and_gradients_match_a_torch_model_with_the_same_weights(
    rng: np.random.Generator,
) -> None:
    cfg = GPTConfig(block_size=8, vocab_size=11, n_layer=2, n_head=2, n_embd=8, dtype="float64")
    gpt = GPT(cfg, rng=rng)
    blocks = [_torch_block(8, 2) for _ in range(2)]
    for ours, theirs in zip(gpt.blocks, blocks, strict=True):
        _load_block(ours, theirs)
    wte, wpe, lm_head = (
        _t(gpt.wte.weight.data, True),
        _t(gpt.wpe.weight.data, True),
        _t(gpt.lm_head.weight.data, True),
    )
    idx = rng.integers(0, 11, (3, 6))
    targets = rng.integers(0, 11, (3, 6))

    h = wte[torch.tensor(idx)] + wpe[:6]
    for b in blocks:
        h = b(h, src_mask=_t(causal_mask(6)))
    tlogits = torch.nn.functional.layer_norm(h, (8,)) @ lm_head
    tloss = torch.nn.functional.cross_entropy(tlogits.reshape(-1, 11), torch.tensor(targets).reshape(-1))

    logits, loss = gpt(idx, targets)
    np.testing.assert_allclose(logits.data, tlogits.detach().numpy(), atol=1e-11)
    assert loss.item() == pytest.approx(tloss.item(), abs=1e-12)
    loss.backward()
    tloss.backward()
    np.testing.assert_allclose(gpt.wte.weight.grad, wte.grad.numpy(), atol=1e-11)
    np.testing.assert_allclose(gpt.wpe.weight.grad, wpe.grad.numpy(), atol=1e-11)
    np.testing.assert_allclose(gpt.lm_head.weight.grad, lm_head.grad.numpy(), atol=1e-11)


def test_sinusoidal_positions_and_mask() -> None:
    pe = sinusoidal_positions(4, 6)
    assert pe[0].tolist() == [0, 1, 0, 1, 0, 1]
    assert pe[3, 2] == pytest.approx(np.sin(3 / 10000 ** (2 / 6)))
    assert pe[3, 5] == pytest.approx(np.cos(3 / 10000 ** (4 / 6)))
    m = causal_mask(3)
    assert (m == 0).tolist() == [[True, False, False], [True, True, False], [True, True, True]]


def test_generation_modes(rng: np.random.Generator) -> None:
    probs = filter_probs(np.log(np.array([[0.5, 0.3, 0.15, 0.05]])), top_k=2)
    np.testing.assert_allclose(probs, [[0.625, 0.375, 0, 0]])
    probs = filter_probs(np.log(np.array([[0.5, 0.3, 0.15, 0.05]])), top_p=0.7)
    np.testing.assert_allclose(probs, [[0.625, 0.375, 0, 0]])  # 0.5 < 0.7, then 0.8 >= 0.7: two tokens kept
    gpt = GPT(GPTConfig(block_size=6, vocab_size=7, n_layer=1, n_head=1, n_embd=8), rng=rng)
    prompt = np.array([[1, 2]])
    greedy = gpt.generate(prompt, 8, greedy=True)
    assert (
        greedy.shape == (1, 10) and (greedy[:, :2] == prompt).all()
    )  # longer than block_size: cropped context
    a = gpt.generate(prompt, 5, rng=np.random.default_rng(1), top_k=3)
    b = gpt.generate(prompt, 5, rng=np.random.default_rng(1), top_k=3)
    np.testing.assert_array_equal(a, b)
    beam1 = gpt.beam_search(prompt[0], 4, beam_width=1)
    np.testing.assert_array_equal(beam1, gpt.generate(prompt, 4, greedy=True)[0])  # width 1 is greedy
    with pytest.raises(ValueError, match="rng"):
        gpt.generate(prompt, 2)


def test_tokenizers_roundtrip() -> None:
    text = "Le gradient, c'est la pente."
    ct = CharTokenizer.from_text(text)
    assert ct.decode(ct.encode(text)) == text and ct.vocab_size == len(set(text))
    wt = WordTokenizer.from_text(text + " Le modèle.")
    assert wt.split("Le gradient, c'est") == ["le", "gradient", ",", "c", "'", "est"]
    assert wt.decode(wt.encode("la pente.")) == "la pente."
    assert wt.encode("inconnu").tolist() == [0]
