"""An autoencoder and a variational autoencoder (Kingma & Welling, 2014) on flat inputs in [0, 1].

VAE loss (negative ELBO) per sample: binary cross-entropy reconstruction plus
:math:`\\mathrm{KL}(\\mathcal N(\\mu, \\sigma^2) \\| \\mathcal N(0, I)) = -\\tfrac12 \\sum (1 +
\\log\\sigma^2 - \\mu^2 - \\sigma^2)`,
with the reparameterisation :math:`z = \\mu + \\sigma \\odot \\epsilon`, :math:`\\epsilon \\sim \\mathcal
N(0, I)`.
"""

from __future__ import annotations

import numpy as np

from models import losses
from models.engine import Tensor, no_grad
from models.mlp import MLP
from models.nn import Module


class Autoencoder(Module):
    """x (N, d) -> code (N, k) -> reconstruction logits (N, d); loss is binary cross-entropy."""

    def __init__(self, d: int, code: int = 8, hidden: int = 64, *, rng: np.random.Generator) -> None:
        self.encoder = MLP([d, hidden, code], rng=rng)
        self.decoder = MLP([code, hidden, d], rng=rng)

    def forward(self, x: Tensor) -> Tensor:
        return self.decoder(self.encoder(x))  # a linear code: a tanh bottleneck stalls at the mean image

    def loss(self, x: Tensor, y: np.ndarray | None = None) -> Tensor:
        x = x.reshape(x.shape[0], -1)
        return losses.binary_cross_entropy_with_logits(self(x), x.data)

    def reconstruct(self, x: np.ndarray) -> np.ndarray:
        with no_grad():
            return self(Tensor(x.reshape(len(x), -1))).sigmoid().data


class VAE(Module):
    def __init__(self, d: int, latent: int = 2, hidden: int = 64, *, rng: np.random.Generator) -> None:
        self.encoder = MLP([d, hidden, 2 * latent], rng=rng)  # outputs (mu, log sigma^2)
        self.decoder = MLP([latent, hidden, d], rng=rng)
        self.latent, self.rng = latent, rng

    def loss(self, x: Tensor, y: np.ndarray | None = None) -> Tensor:
        x = x.reshape(x.shape[0], -1)
        stats = self.encoder(x)  # (N, 2k)
        mu, logvar = stats[:, : self.latent], stats[:, self.latent :]
        eps = self.rng.standard_normal(mu.shape)
        z = mu + (logvar * 0.5).exp() * eps  # reparameterisation: the noise is an input, not a node
        recon = losses.binary_cross_entropy_with_logits(self.decoder(z), x.data) * x.shape[1]
        kl = ((mu * mu + logvar.exp() - logvar - 1.0).sum(axis=-1) * 0.5).mean()
        return recon + kl

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        with no_grad():
            return self.decoder(Tensor(rng.standard_normal((n, self.latent)))).sigmoid().data
