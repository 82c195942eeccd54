"""What one sandbox run produced and how to read it: :class:`SandboxResult`, the exception parsed from the
traceback (:func:`parse_exception`) and why the run ended (:func:`classify`)."""

from __future__ import annotations

import re
import signal
from dataclasses import asdict, dataclass
from typing import Any, Literal

Mode = Literal["bwrap", "limits-only"]
Reason = Literal["ok", "error", "timeout", "memory", "killed", "output_limit"]

_EXC_LINE = re.compile(r"^([A-Za-z_][\w.]*)(?::\s?(.*))?$")
_MEMORY_MARKERS = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory")


@dataclass(frozen=True)
class ExceptionInfo:
    """The exception that ended the code, parsed from its traceback."""

    type: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.type}: {self.message}" if self.message else self.type


@dataclass
class SandboxResult:
    """What happened to one run.

    ``reason`` is ``ok`` (exit 0), ``error`` (an exception or a non-zero exit), ``timeout`` (wall clock or
    CPU time), ``memory`` (``MemoryError`` or allocation failure under the memory limit), ``killed`` (a signal
    not sent by us) or ``output_limit`` (stdout + stderr exceeded ``output_kb``; the output is truncated).
    """

    stdout: str
    stderr: str
    exception: ExceptionInfo | None
    reason: Reason
    returncode: int | None
    seconds: float
    mode: Mode = "bwrap"

    @property
    def ok(self) -> bool:
        return self.reason == "ok"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        d = asdict(self)
        d["seconds"] = round(self.seconds, 3)
        return d


def signal_of(rc: int | None) -> int | None:
    """Signal that ended the process: negative code from Popen, or 128+N as relayed by bwrap."""
    if rc is None:
        return None
    if rc < 0:
        return -rc
    if 128 < rc < 128 + 65:
        return rc - 128
    return None


def classify(ours: str, rc: int | None, exception: ExceptionInfo | None, stderr: str) -> Reason:
    if ours == "output_limit":
        return "output_limit"
    if ours == "memory":  # the run's cgroup hit its memory limit and the kernel killed a process
        return "memory"
    if ours == "timeout" or signal_of(rc) == signal.SIGXCPU:
        return "timeout"
    if (exception is not None and exception.type.endswith("MemoryError")) or (
        rc != 0 and any(m in stderr for m in _MEMORY_MARKERS)
    ):
        return "memory"
    if rc == 0:
        return "ok"
    if exception is None and signal_of(rc) is not None:
        return "killed"
    return "error"


def parse_exception(stderr: str) -> ExceptionInfo | None:
    """The last exception reported in ``stderr`` (a Python traceback or a ``SyntaxError`` report).

    Examples
    --------
    >>> parse_exception('Traceback (most recent call last):\\n  File "main.py", line 3, in <module>\\n'
    ...                 'ZeroDivisionError: division by zero\\n')
    ExceptionInfo(type='ZeroDivisionError', message='division by zero', line=3)
    """
    lines = stderr.rstrip().splitlines()
    file_line = re.compile(r'^\s*File "([^"]*)", line (\d+)')
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i]
        if not text or text[0].isspace() or text.startswith("[sandbox]"):
            continue
        m = _EXC_LINE.match(text)
        if not m:
            continue
        name = m.group(1)
        before = lines[:i]
        has_trace = any(ln.startswith("Traceback (most recent call last)") for ln in before) or any(
            file_line.match(ln) for ln in before
        )
        if not has_trace and not re.search(r"(Error|Exception|Exit|Interrupt)$", name):
            continue
        lineno = None
        for ln in reversed(before):
            fm = file_line.match(ln)
            if fm and fm.group(1).endswith("main.py"):
                lineno = int(fm.group(2))
                break
        return ExceptionInfo(name, (m.group(2) or "").strip(), lineno)
    return None
