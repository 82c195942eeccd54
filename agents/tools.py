"""The tutor's tools: typed methods whose docstring is their description, JSON-serialisable results.

A :class:`Toolbox` binds the tools to one learner's settings (store, progress database, sandbox limits,
price cache). Bad arguments never raise out of a tool: our packages' typed errors become
``{"error": "..."}`` saying what to fix, so a turn always goes on; any other exception is a bug, logged with
its traceback, and the learner gets a neutral message. ``Toolbox.as_langchain_tools()`` exposes them to
tool-calling models.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal, get_args

from agents.answer_types import ToolName
from agents.errors import AgentError, ToolArgumentError
from agents.results import RoadmapProgressResult, StudyPlanResult, ThisWeek
from finance.errors import FinanceError
from knowledge.config import Settings
from knowledge.dates import parse_learner_date
from knowledge.errors import DateError, KnowledgeError
from models.errors import ModelsError

log = logging.getLogger(__name__)
TOOL_NAMES: tuple[ToolName, ...] = get_args(ToolName)
#: the typed errors of our packages: their message says the fix and goes to the learner
USER_ERRORS: tuple[type[Exception], ...] = (KnowledgeError, FinanceError, AgentError, ModelsError)
INTERNAL_ERROR = "an internal error stopped this tool (it is logged for the developers); try again differently"


def _safe(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """A tool never kills the turn: a typed error becomes ``{"error": its message}``; anything else is a bug,
    logged with its traceback, and the learner gets a neutral ``{"error": ...}``."""
    signature = inspect.signature(fn)

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            try:
                signature.bind(*args, **kwargs)
            except TypeError as exc:  # wrong argument names from a model
                raise ToolArgumentError(f"bad arguments for {fn.__name__}: {exc}") from None
            return fn(*args, **kwargs)
        except USER_ERRORS as exc:
            log.info("tool %s refused: %s", fn.__name__, exc)
            return {"error": f"{exc.__class__.__name__}: {exc}"}
        except Exception:
            log.exception("tool %s failed", fn.__name__)
            return {"error": INTERNAL_ERROR}

    return wrapper


def _with_notes(result: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    if notes:
        result["dates_read"] = notes
    return result


def _distinct(values: list[str], allowed: tuple[str, ...] | None, name: str) -> list[str]:
    """The compared models or methods, each once, at most 4 (a comparison, not a sweep)."""
    out = list(dict.fromkeys(str(v).strip().lower() for v in values if str(v).strip()))
    bad = [v for v in out if allowed is not None and v not in allowed]
    if bad:
        raise ToolArgumentError(f"unknown {name} {bad}; choose among {', '.join(allowed or ())}")
    if not 2 <= len(out) <= 4:
        raise ToolArgumentError(f"a comparison needs 2 to 4 {name}, got {out}")
    return out


def _split_at(weeks: list[Any], deadline: str) -> tuple[list[str], list[str]]:
    """Chapters finished by the deadline, and those that are not (begun or not)."""
    done_by: dict[str, bool] = {}
    for w in weeks:
        for chapter in w["chapters"]:
            done_by[chapter] = w["end"] <= deadline  # the last week a chapter appears in decides
    return [c for c, ok in done_by.items() if ok], [c for c, ok in done_by.items() if not ok]


def _date(value: str | None, name: str, notes: list[str]) -> str | None:
    """A date argument as ``YYYY-MM-DD``: ISO, or French ``JJ/MM/AAAA`` read day first (what was read is added
    to ``notes``, for the answer to say it); an impossible or unreadable date is a :class:`ToolArgumentError`."""
    if value in (None, ""):
        return None
    try:
        read = parse_learner_date(str(value))
    except DateError as exc:
        raise ToolArgumentError(f"{name} : {exc}") from None
    if note := read.note(name):
        notes.append(note)
    return read.value.isoformat()


def _number(value: Any, name: str) -> float:
    """A numeric argument as sent by a model ("10", 10, 10.0), or a :class:`ToolArgumentError`."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ToolArgumentError(f"{name} must be a number, got {value!r}") from None


class Toolbox:
    """The nine tools of the tutor, bound to ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def _prices_cache(self) -> Any:
        return self.settings.cache_dir / "prices"

    @_safe
    def search_course(self, query: str, k: int = 4) -> dict[str, Any]:
        """Search the course for passages about a concept (hybrid BM25 + dense). Use it to explain or define
        anything taught in the course: VaR, backpropagation, attention, GARCH, Sharpe ratio..."""
        from knowledge.retrieval import search

        k = max(1, min(int(_number(k, "k")), 10))
        passages = search(query, k, settings=self.settings)
        return {"query": query, "passages": [
            {"n": i, "source": p.source, "heading": p.heading, "chapter": p.chapter, "text": p.text[:1200]}
            for i, p in enumerate(passages, 1)
        ]}

    @_safe
    def run_python(self, code: str, timeout_s: float = 10) -> dict[str, Any]:
        """Run a Python snippet in the sandbox (no network, no files outside a temp dir, time and memory
        limits) and return stdout, stderr, the exception and why it ended."""
        from agents.sandbox import run_python, sandbox_options

        if not code or not code.strip():
            return {"error": "no code given: put the Python code in the message (a ```python block)"}
        opts = sandbox_options(self.settings)
        opts["timeout_s"] = max(0.5, min(_number(timeout_s, "timeout_s"), 60.0))
        return run_python(code, **opts).to_dict()

    @_safe
    def check_exercise(self, exercise_id: str, code: str) -> dict[str, Any]:
        """Judge the learner's solution of a course exercise in the sandbox: each test's verdict, the failing
        input and a hint; on success, offers to check the roadmap item."""
        from agents.exercises import check_exercise

        if not code or not code.strip():
            return {"error": "no code to check: attach your solution (file or ```python block)"}
        return check_exercise(
            exercise_id, code, mode=self.settings.sandbox_mode, memory_mb=self.settings.sandbox_memory_mb
        ).to_dict()

    @_safe
    def model_lab(self, model: str, dataset: str | None = None, epochs: int | None = None) -> dict[str, Any]:
        """Train one of the from-scratch models (linear, logistic, mlp, cnn, rnn, lstm, gru, gpt, word2vec,
        autoencoder, vae, seq2seq) on iris, digits, the course text or a sequence-reversal task; returns the
        loss history and accuracy."""
        from knowledge.ingest import COURSE_DIR
        from models import demos

        name = model.strip().lower()
        if name not in demos.DEMOS:
            return {"error": f"unknown model {model!r}; choose one of {', '.join(demos.DEMOS)}"}
        dataset = {"text": "course", "texte": "course", "cours": "course"}.get(dataset or "", dataset)
        dataset = dataset or demos.DEMOS[name][0][0]
        if epochs is not None and not 1 <= int(_number(epochs, "epochs")) <= 200:
            return {"error": f"epochs must be between 1 and 200, got {epochs}"}
        out = demos.demo(name, dataset, int(_number(epochs, "epochs")) if epochs else None, course_dir=COURSE_DIR)
        return dict(out)

    @_safe
    def fit_garch(self, ticker: str = "SPY", model: Literal["garch", "gjr", "egarch"] = "garch",
                  dist: Literal["normal", "t", "skewt"] = "normal", start: str | None = None,
                  end: str | None = None, last_years: int | None = None,
                  models: list[str] | None = None) -> dict[str, Any]:
        """Fit a GARCH(1,1), GJR-GARCH or EGARCH volatility model (normal, t or skew-t errors) to a ticker's
        daily returns; returns parameters, persistence, AIC/BIC and the volatility now and forecast. With
        ``models`` (two or more), fits each on the same data and compares them."""
        from finance.api import garch_summary

        notes: list[str] = []
        start, end = self._period(ticker, start, end, last_years, notes)
        if models:
            fits = [dict(garch_summary(ticker, m, dist, start=start, end=end, cache_dir=self._prices_cache))
                    for m in _distinct(models, ("garch", "gjr", "egarch"), "models")]
            return _with_notes({"comparison": fits, "ticker": ticker, "kind": "garch"}, notes)
        return _with_notes(dict(garch_summary(ticker, model, dist, start=start, end=end,
                                              cache_dir=self._prices_cache)), notes)

    @_safe
    def value_at_risk(self, ticker: str = "SPY", level: float = 0.99, method: str = "historical",
                      horizon_days: int = 1, start: str | None = None, end: str | None = None,
                      last_years: int | None = None, methods: list[str] | None = None) -> dict[str, Any]:
        """Value at Risk and Expected Shortfall of a ticker (historical, normal, student-t, cornish-fisher,
        monte-carlo, garch or fhs) with a rolling backtest: Kupiec and Christoffersen tests, Basel zone. With
        ``methods`` (two or more), computes each on the same data and compares them."""
        from finance.api import var_summary

        level = _number(level, "level")
        if 50 <= level < 100:  # "99" meant 99 %
            level /= 100
        if not 0.5 <= level < 1:
            raise ToolArgumentError(f"level must be in (0.5, 1), e.g. 0.99 for 99 % VaR, got {level:g}")
        horizon = int(_number(horizon_days, "horizon_days"))
        notes: list[str] = []
        start, end = self._period(ticker, start, end, last_years, notes)
        if methods:
            runs = [dict(var_summary(ticker, level, m, horizon, start=start, end=end, cache_dir=self._prices_cache))
                    for m in _distinct(methods, None, "methods")]
            return _with_notes({"comparison": runs, "ticker": ticker, "kind": "var"}, notes)
        return _with_notes(dict(var_summary(ticker, level, method, horizon, start=start, end=end,
                                            cache_dir=self._prices_cache)), notes)

    @_safe
    def backtest_strategy(self, ticker: str = "SPY", strategy: str = "sma-cross",
                          params: dict[str, Any] | None = None, cost_bps: float = 5.0, start: str | None = None,
                          end: str | None = None, last_years: int | None = None) -> dict[str, Any]:
        """Backtest a trading strategy (buy-hold, sma-cross, momentum, mean-reversion, bollinger, rsi) on a
        ticker without look-ahead, with costs in basis points, optionally between two dates; returns Sharpe,
        CAGR, drawdown and trades."""
        from finance.api import backtest_summary

        notes: list[str] = []
        start, end = self._period(ticker, start, end, last_years, notes)
        return _with_notes(dict(backtest_summary(ticker, strategy, params or {}, cost_bps=_number(cost_bps, "cost_bps"),
                                                 start=start, end=end, cache_dir=self._prices_cache)), notes)

    def _period(self, ticker: str, start: str | None, end: str | None, last_years: int | None,
                notes: list[str]) -> tuple[str | None, str | None]:
        """ISO start and end (how a French date was read goes to ``notes``); ``last_years`` counts back from the
        last day of the data actually available."""
        start, end = _date(start, "start", notes), _date(end, "end", notes)
        if start and end and start >= end:
            raise ToolArgumentError(f"the start date {start} must come before the end date {end}")
        if not last_years:
            return start, end
        years = int(_number(last_years, "last_years"))
        if not 1 <= years <= 50:
            raise ToolArgumentError(f"last_years must be between 1 and 50, got {last_years}")
        from finance.data import load_prices

        last = load_prices(ticker, cache_dir=self._prices_cache).index[-1].date()
        return last.replace(year=last.year - years).isoformat(), last.isoformat()

    @_safe
    def study_plan(self, hours_per_week: float, weeks: int | None = None, deadline_month: int | None = None,
                   phase: int | None = None, focus: str | None = None) -> dict[str, Any]:
        """Plan the learner's unchecked roadmap items into weeks for a number of study hours per week (optionally
        within a number of weeks or before a month, for one phase), respecting prerequisites; says when the goal
        cannot be met, which pace would, and which chapters fit in the time."""
        from agents.routing.schedule import until_date
        from knowledge.planner import plan, plan_to_dict

        hours = _number(hours_per_week, "hours_per_week")
        month = int(_number(deadline_month, "deadline_month")) if deadline_month else None
        if month is not None and not 1 <= month <= 12:
            return {"error": f"deadline_month must be a month number 1-12, got {deadline_month}"}
        p = plan(self.settings, hours_per_week=hours, weeks=int(_number(weeks, "weeks")) if weeks else None,
                 until=until_date(month) if month else None,
                 focus=f"phase {int(_number(phase, 'phase'))}" if phase is not None else (focus or None))
        data: StudyPlanResult = {**plan_to_dict(p)}
        if not data["feasible"] and data["deadline"]:
            data["fits"], data["left_out"] = _split_at(data["weeks"], data["deadline"])
        if len(data["weeks"]) > 8:
            data["weeks_truncated"] = len(data["weeks"])
            data["weeks"] = data["weeks"][:8]
        return dict(data)

    @_safe
    def roadmap_progress(self, action: Literal["show", "check", "uncheck", "next"] = "show",
                         item_id: str | None = None) -> dict[str, Any]:
        """Read or update the learner's roadmap progress: show (overall and per phase), next (the next items
        to study), check or uncheck an item by its id such as 27.3."""
        from knowledge.roadmap import load_roadmap, next_items, open_progress, summarize

        action = action.strip().lower()  # type: ignore[assignment]  # models send any string
        if action not in ("show", "check", "uncheck", "next"):
            return {"error": f"unknown action {action!r}; use show, next, check or uncheck"}
        roadmap = load_roadmap(self.settings)
        with open_progress(self.settings, roadmap) as store:
            if action in ("check", "uncheck"):
                if not item_id:
                    return {"error": f"{action} needs an item id such as 27.3 (see `quant-tutor roadmap show`)"}
                item = roadmap.item(item_id)
                if action == "check":
                    store.check(item.id)
                else:
                    store.uncheck(item.id)
            checked = store.checked()
        s = summarize(roadmap, checked)
        out: RoadmapProgressResult = {
            "action": action, "done": s.done, "total": s.total, "percent": round(s.percent, 1),
            "projects_done": s.projects_done, "projects_total": s.projects_total,
            "phases": [{"phase": p.number, "title": p.title, "done": p.done, "total": p.total} for p in s.phases],
            "next": [{"id": it.id, "text": it.label, "chapter": it.chapter} for it in next_items(roadmap, checked, 3)],
        }
        if item_id and action in ("check", "uncheck"):
            out["item"] = {"id": item.id, "text": item.label, "checked": action == "check"}
        if action == "next":
            out["this_week"] = self._this_week()
            out["advice"] = self._mastery_advice()
        return dict(out)

    def _mastery_advice(self) -> str | None:
        """What mastery says about "what next?": a fragile chapter, or a weak prerequisite, comes first."""
        from knowledge.learning.today import today_summary

        try:
            suggestion = today_summary(self.settings).suggestion
        except USER_ERRORS:
            return None
        return suggestion.reason if suggestion is not None and suggestion.kind == "review" else None

    def _this_week(self) -> ThisWeek | None:
        """The first week of the learner's plan, at the weekly hours of their tracker (10 h when unset)."""
        from knowledge.planner import plan, plan_to_dict

        try:
            with_tracker = self._tracker_hours()
            weeks = plan_to_dict(plan(self.settings, hours_per_week=with_tracker or 10.0))["weeks"]
        except USER_ERRORS:  # the plan is a bonus to "what next?"
            return None
        if not weeks:
            return None
        return {**weeks[0], "hours_per_week": with_tracker or 10.0}

    def _tracker_hours(self) -> float | None:
        from knowledge.roadmap import open_progress

        with open_progress(self.settings) as store:
            raw = store.tracker().get("hours_this_week")
        try:
            return float(str(raw).replace(",", ".")) if raw else None
        except ValueError:
            return None

    # -- adapters ------------------------------------------------------------------------------------------
    def call(self, name: str, args: dict[str, Any]) -> dict[str, Any]:
        """Call a tool by name; unknown names and bad arguments give an error result."""
        if name not in TOOL_NAMES:
            return {"error": f"unknown tool {name!r}; tools: {', '.join(TOOL_NAMES)}"}
        result: dict[str, Any] = getattr(self, name)(**args)  # bad arguments: an error result (see _safe)
        return result

    def as_langchain_tools(self) -> list[Any]:
        from langchain_core.tools import StructuredTool

        return [StructuredTool.from_function(getattr(self, n), name=n) for n in TOOL_NAMES]


def __getattr__(name: str) -> Callable[..., dict[str, Any]]:
    """The tools by name, bound to the configured settings: ``from agents.tools import run_python``."""
    if name not in TOOL_NAMES:
        raise AttributeError(f"module 'agents.tools' has no attribute {name!r}")

    def tool(*args: Any, **kwargs: Any) -> dict[str, Any]:
        from knowledge.config import get_settings

        result: dict[str, Any] = getattr(Toolbox(get_settings()), name)(*args, **kwargs)
        return result

    tool.__name__ = tool.__qualname__ = name
    tool.__doc__ = getattr(Toolbox, name).__doc__
    return tool
