"""quant-tutor front ends, on top of every other package: the Typer CLI (:mod:`app.cli`, one module per
command group, entry point ``app.cli:main``) and the Streamlit app (``streamlit_app.py`` routes to the pages in
``app_pages/``; ``figures.py`` caches the finance computations and their plots, ``state.py`` the store and the
agent). Nothing else imports :mod:`app`.
"""
