"""From-scratch deep learning: a NumPy autograd engine, layers, optimisers and model families.

Layout (imports go one way, like micrograd's ``engine.py -> nn.py``)::

    engine.py (Tensor) -> functional.py (conv, pool, dropout, layer norm) -> nn.py (Module, layers)
        -> losses.py, optim.py -> linear.py, mlp.py, conv.py, rnn.py (-> seq2seq.py), word2vec.py,
           attention.py, transformer.py, gpt.py, autoencoder.py -> train.py, lm.py -> demo.py
    linalg.py, calculus.py, stats.py, distributions.py: pure maths, independent of the engine.

``models`` imports nothing else from quant-tutor; ``demo(model, dataset)`` is its entry point for the app.
"""

from models.demo import DATASETS, DEMOS, demo
from models.engine import Tensor, no_grad

__all__ = ["DATASETS", "DEMOS", "Tensor", "demo", "no_grad"]
