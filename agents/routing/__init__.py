"""agents.routing: how the embedded model's tutor understands a request without a model that can choose tools.

``router`` picks the tool (rules, then similarity to the tools' descriptions), ``extract`` reads its arguments from
the learner's words (tickers, levels, dates, windows…), ``phrasing`` turns a tool's typed result into a short
answer in the learner's language, ``evaluation`` scores routing on the request sets of ``agents/eval/``.
Imports: ``knowledge`` and ``agents.results``; nothing of the tutor itself.
"""

from agents.routing.router import Route, Router

__all__ = ["Route", "Router"]
