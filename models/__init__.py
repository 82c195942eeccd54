"""From-scratch deep learning: a NumPy autograd engine, layers, optimisers and model families.

Layout (imports go one way, like micrograd's ``engine.py -> nn.py``)::

    engine.py (Tensor) -> functional.py (conv, pool, dropout, layer norm) -> nn.py (Module, layers)
        -> losses.py, optim.py -> linear.py, mlp.py, conv.py, rnn.py (-> seq2seq.py), word2vec.py,
           attention.py, transformer.py, gpt.py, autoencoder.py -> train.py, lm.py -> demos/
    maths/ (linalg, calculus, stats, distributions): pure maths, independent of the engine.

``models`` imports nothing else from quant-tutor. The entry point for the app is
:func:`models.demos.demo` (``from models.demos import demo``); it is not imported here, so that
``import models.engine`` loads the engine alone.
"""

from models.engine import Tensor, no_grad

__all__ = ["Tensor", "no_grad"]
