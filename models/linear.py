"""Linear, logistic and softmax regression: closed form and gradient descent, with L1/L2 penalties.

See Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, §3.2 (least squares), §3.4 (ridge
and lasso) and §4.4 (logistic regression).
"""

from __future__ import annotations

import numpy as np

from models import losses
from models.engine import Tensor, no_grad
from models.errors import DataError
from models.nn import Linear, Module


def _penalty(model: Module, l1: float, l2: float) -> Tensor | float:
    weights = [model.linear.weight]  # type: ignore[attr-defined]  # biases are not penalised
    total: Tensor | float = 0.0
    if l1:
        total = total + losses.l1_penalty(weights, l1)
    if l2:
        total = total + losses.l2_penalty(weights, l2)
    return total


class LinearRegression(Module):
    r"""Least squares :math:`\min_w \frac1n\|Xw + b - y\|^2 + \lambda_1\|w\|_1 +
    \tfrac{\lambda_2}{2}\|w\|^2`."""

    def __init__(
        self, n_features: int, *, l1: float = 0.0, l2: float = 0.0, rng: np.random.Generator
    ) -> None:
        self.linear = Linear(n_features, 1, rng=rng)
        self.l1, self.l2 = l1, l2

    def forward(self, x: Tensor) -> Tensor:
        return self.linear(x).reshape(-1)  # (n,)

    def loss(self, x: Tensor, y: np.ndarray) -> Tensor:
        return losses.mse(self(x), np.asarray(y, dtype=x.dtype)) + _penalty(self, self.l1, self.l2)

    def predict(self, x: np.ndarray) -> np.ndarray:
        with no_grad():
            return self(Tensor(x)).data

    def fit_closed_form(self, x: np.ndarray, y: np.ndarray) -> LinearRegression:
        r"""Normal equations with ridge: :math:`(\tilde X^\top \tilde X + \tfrac{n\lambda_2}{2} D) \theta
        = \tilde X^\top y`.

        :math:`\tilde X = [X, 1]`; ``D`` is the identity without the intercept entry. The factor matches the
        gradient-descent objective above (mean squared error). Lasso has no closed form: use
        :func:`train.fit`.
        """
        if self.l1:
            raise DataError("L1 (lasso) has no closed form; train with gradient descent (models.train.fit)")
        n, d = x.shape
        xt = np.hstack([x, np.ones((n, 1))])
        reg = np.eye(d + 1) * (n * self.l2 / 2)
        reg[-1, -1] = 0.0
        theta = np.linalg.solve(xt.T @ xt + reg, xt.T @ y)
        self.linear.weight.data = theta[:-1].reshape(d, 1)
        self.linear.bias.data = theta[-1:].copy()  # type: ignore[union-attr]
        return self


class LogisticRegression(Module):
    r"""Logistic regression: :math:`p = \sigma(x w + b)` for two classes, :math:`\mathrm{softmax}(xW +
    b)` for more.

    The loss is the (binary or multi-class) cross-entropy on logits plus the L1/L2 penalties.
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int = 2,
        *,
        l1: float = 0.0,
        l2: float = 0.0,
        rng: np.random.Generator,
    ) -> None:
        if n_classes < 2:
            raise DataError(f"a classifier needs at least 2 classes, got {n_classes}")
        self.n_classes = n_classes
        self.linear = Linear(n_features, 1 if n_classes == 2 else n_classes, rng=rng)
        self.l1, self.l2 = l1, l2

    def forward(self, x: Tensor) -> Tensor:
        logits = self.linear(x)  # (n, 1) or (n, K)
        return logits.reshape(-1) if self.n_classes == 2 else logits

    def loss(self, x: Tensor, y: np.ndarray) -> Tensor:
        logits = self(x)
        if self.n_classes == 2:
            data = losses.binary_cross_entropy_with_logits(logits, np.asarray(y, dtype=logits.dtype))
        else:
            data = losses.cross_entropy(logits, y)
        return data + _penalty(self, self.l1, self.l2)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        with no_grad():
            logits = self(Tensor(x))
            return logits.sigmoid().data if self.n_classes == 2 else logits.softmax(-1).data

    def predict(self, x: np.ndarray) -> np.ndarray:
        p = self.predict_proba(x)
        return (p > 0.5).astype(np.int64) if self.n_classes == 2 else p.argmax(axis=-1)


class SoftmaxRegression(LogisticRegression):
    """Multinomial logistic regression (``LogisticRegression`` with ``n_classes`` >= 3)."""

    def __init__(
        self, n_features: int, n_classes: int, *, l1: float = 0.0, l2: float = 0.0, rng: np.random.Generator
    ) -> None:
        if n_classes < 3:
            raise DataError("softmax regression is for 3 or more classes; use LogisticRegression for 2")
        super().__init__(n_features, n_classes, l1=l1, l2=l2, rng=rng)
