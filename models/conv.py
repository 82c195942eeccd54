"""A LeNet-style convolutional network (LeCun et al., 1998), sized for 8 x 8 digits by default."""

from __future__ import annotations

import numpy as np

from models import functional as F
from models import losses
from models.engine import Tensor, no_grad
from models.nn import Linear, Module


class Conv2d(Module):
    """Convolution layer with He-uniform weights as in torch (bound 1/sqrt(fan_in))."""

    def __init__(
        self,
        c_in: int,
        c_out: int,
        kernel: int,
        *,
        stride: int = 1,
        padding: int = 0,
        rng: np.random.Generator,
    ) -> None:
        bound = 1.0 / np.sqrt(c_in * kernel * kernel)
        self.weight = Tensor(rng.uniform(-bound, bound, (c_out, c_in, kernel, kernel)), requires_grad=True)
        self.bias = Tensor(rng.uniform(-bound, bound, c_out), requires_grad=True)
        self.stride, self.padding = stride, padding

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding)


class LeNet(Module):
    """conv(3x3, pad 1) - ReLU - maxpool 2 - conv(3x3, pad 1) - ReLU - maxpool 2 - linear - ReLU - linear.

    Parameters
    ----------
    image_size : int
        Height = width of the input, divisible by 4 (8 for scikit-learn's digits, 28 for MNIST).
    channels : tuple of int
        Filters in the two convolutions.
    """

    def __init__(
        self,
        n_classes: int = 10,
        *,
        image_size: int = 8,
        in_channels: int = 1,
        channels: tuple[int, int] = (8, 16),
        hidden: int = 64,
        rng: np.random.Generator,
    ) -> None:
        self.in_channels = in_channels
        self.conv1 = Conv2d(in_channels, channels[0], 3, padding=1, rng=rng)
        self.conv2 = Conv2d(channels[0], channels[1], 3, padding=1, rng=rng)
        flat = channels[1] * (image_size // 4) ** 2
        self.fc1 = Linear(flat, hidden, rng=rng)
        self.fc2 = Linear(hidden, n_classes, rng=rng)

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim == 3:
            x = x.reshape(x.shape[0], self.in_channels, *x.shape[1:])  # (N, 1, H, W)
        h = F.max_pool2d(self.conv1(x).relu(), 2)  # (N, c1, H/2, W/2)
        h = F.max_pool2d(self.conv2(h).relu(), 2)  # (N, c2, H/4, W/4)
        h = self.fc1(h.reshape(h.shape[0], -1)).relu()  # (N, hidden)
        return self.fc2(h)  # (N, n_classes)

    def loss(self, x: Tensor, y: np.ndarray) -> Tensor:
        return losses.cross_entropy(self(x), y)

    def predict(self, x: np.ndarray) -> np.ndarray:
        with no_grad():
            return self(Tensor(x)).data.argmax(axis=-1)
