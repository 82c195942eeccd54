"""Typed errors of the agents layer. Each message says what to do."""

from __future__ import annotations


class AgentError(Exception):
    """Base class for errors raised by ``agents``."""


class SandboxUnavailable(AgentError):
    """The sandbox cannot run code here (bubblewrap missing or broken); the message says how to fix it."""


class SandboxError(AgentError):
    """The sandbox was called with invalid arguments (e.g. a negative limit or a bad file name)."""


class ExerciseCheckError(AgentError):
    """An exercise check cannot even start (unknown exercise, unreadable judge)."""


class LLMError(AgentError):
    """The language model backend is misconfigured or unreachable; the message names the QT_* setting to fix."""


class ToolArgumentError(AgentError):
    """A tool was called with an argument it cannot use; the message says the expected form."""
