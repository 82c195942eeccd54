"""Quant toolbox of quant-tutor: pure functions over pandas objects; imports nothing else of ours.

``data`` (prices online/offline, returns) -> ``strategies`` (signals) -> ``backtest`` (engine, sweeps,
walk-forward, deflated Sharpe) -> ``metrics``; ``volatility`` (GARCH family, EWMA) -> ``risk`` (VaR/ES) ->
``var_backtest`` (Kupiec, Christoffersen, Basel); ``portfolio`` (Markowitz, CAPM); ``plots`` (plotly);
``api`` (JSON-ready summaries for the CLI and the agent tools); ``errors`` (typed errors and warnings).
"""
