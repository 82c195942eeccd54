"""Benchmark: our from-scratch models against torch on the CPU, and pure-Python matmul against NumPy.

Run ``python bench/models.py``. Every pair is timed in the same run, on one thread each (BLAS and torch), and
reported as a ratio, so the numbers compare implementations rather than machines. Takes well under 2 minutes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.engine import Tensor  # noqa: E402
from models.gpt import GPT, GPTConfig  # noqa: E402
from models.maths.linalg import matmul  # noqa: E402
from models.mlp import MLP  # noqa: E402
from models.optim import Adam  # noqa: E402


def per_call(fn: Callable[[], object], *, repeat: int, warmup: int = 2) -> float:
    """Median seconds per call."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def mlp_pair(rng: np.random.Generator) -> tuple[float, float]:
    x, y = rng.standard_normal((64, 64)).astype(np.float32), rng.integers(0, 10, 64)
    ours = MLP([64, 128, 10], rng=rng).astype(np.float32)
    opt = Adam(ours.parameters(), lr=1e-3)

    def our_step() -> None:
        opt.zero_grad()
        ours.loss(Tensor(x), y).backward()
        opt.step()

    ref = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    topt = torch.optim.Adam(ref.parameters(), lr=1e-3)
    tx, ty = torch.tensor(x), torch.tensor(y)

    def torch_step() -> None:
        topt.zero_grad()
        torch.nn.functional.cross_entropy(ref(tx), ty).backward()
        topt.step()

    return per_call(our_step, repeat=200), per_call(torch_step, repeat=200)


class TorchGPT(torch.nn.Module):
    """The same architecture as models.gpt.GPT, from torch building blocks."""

    def __init__(self, c: GPTConfig) -> None:
        super().__init__()
        self.wte, self.wpe = (
            torch.nn.Embedding(c.vocab_size, c.n_embd),
            torch.nn.Embedding(c.block_size, c.n_embd),
        )
        layer = [
            torch.nn.TransformerEncoderLayer(
                c.n_embd,
                c.n_head,
                4 * c.n_embd,
                dropout=0.0,
                activation="gelu",
                batch_first=True,
                norm_first=True,
            )
            for _ in range(c.n_layer)
        ]
        self.blocks = torch.nn.ModuleList(layer)
        self.ln_f, self.head = (
            torch.nn.LayerNorm(c.n_embd),
            torch.nn.Linear(c.n_embd, c.vocab_size, bias=False),
        )

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        t = idx.shape[1]
        h = self.wte(idx) + self.wpe(torch.arange(t))
        mask = torch.nn.Transformer.generate_square_subsequent_mask(t)
        for block in self.blocks:
            h = block(h, src_mask=mask)
        return self.head(self.ln_f(h))


def gpt_pair(rng: np.random.Generator) -> tuple[float, float]:
    cfg = GPTConfig(block_size=32, vocab_size=96, n_layer=2, n_head=4, n_embd=64)
    x, y = rng.integers(0, 96, (32, 32)), rng.integers(0, 96, (32, 32))
    ours = GPT(cfg, rng=rng)
    opt = Adam(ours.parameters(), lr=1e-3)

    def our_step() -> None:
        opt.zero_grad()
        _, loss = ours(x, y)
        loss.backward()  # type: ignore[union-attr]
        opt.step()

    ref = TorchGPT(cfg)
    topt = torch.optim.Adam(ref.parameters(), lr=1e-3)
    tx, ty = torch.tensor(x), torch.tensor(y)

    def torch_step() -> None:
        topt.zero_grad()
        torch.nn.functional.cross_entropy(ref(tx).reshape(-1, 96), ty.reshape(-1)).backward()
        topt.step()

    return per_call(our_step, repeat=30), per_call(torch_step, repeat=30)


def matmul_pair(n: int, rng: np.random.Generator) -> tuple[float, float]:
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    la, lb = a.tolist(), b.tolist()
    return per_call(lambda: matmul(la, lb), repeat=3, warmup=1), per_call(lambda: a @ b, repeat=200)


def main() -> None:
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    torch.set_num_threads(1)
    rows = []
    with threadpool_limits(limits=1):
        ours, ref = mlp_pair(rng)
        rows.append(("MLP 64-128-10 train step, batch 64 (float32)", "ours", ours, "torch", ref))
        ours, ref = gpt_pair(rng)
        rows.append(("mini-GPT 2x(4 heads, 64) train step, 32x32 tokens", "ours", ours, "torch", ref))
        for n in (64, 128):
            ours, ref = matmul_pair(n, rng)
            rows.append((f"matmul {n}x{n} (float64)", "pure Python", ours, "NumPy", ref))
    print(f"{'benchmark':52} {'ours':>12} {'baseline':>12} {'ratio':>9}")
    for name, _, ours, base_name, ref in rows:
        print(f"{name:52} {ours * 1e3:9.3f} ms {ref * 1e3:9.3f} ms {ours / ref:8.1f}x  (vs {base_name})")


if __name__ == "__main__":
    main()
