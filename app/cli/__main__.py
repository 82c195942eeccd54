"""``python -m app.cli``: the same as the ``quant-tutor`` command."""

from app.cli import main

main()
