"""Run untrusted Python (the learner's or the model's) in a separate, confined process.

The default mode runs the code under `bubblewrap <https://github.com/containers/bubblewrap>`_:

* new network, PID, IPC and UTS namespaces: no network at all, not even the host's loopback;
* a fresh root with read-only binds of ``/usr``, the ``/lib*``/``/bin`` links, a few ``/etc`` files, the
  Python installation (interpreter, standard library, site-packages) and our ``models``/``finance``
  packages (at ``/opt/qt``); nothing else of the host is visible (no ``$QT_HOME``, no home directory, no
  repository);
* a private size-limited tmpfs at ``/tmp`` as working and home directory; the caller's ``files`` are bound in
  read-only;
* the code runs under an unprivileged uid of its own per run (``RUN_UIDS``, when we are root; in a user
  namespace otherwise) with ``RLIMIT_CPU``, ``RLIMIT_AS`` (memory), ``RLIMIT_NPROC``, ``RLIMIT_FSIZE`` and
  ``RLIMIT_NOFILE``, plus a wall-clock timeout and an output cap enforced here by killing the process group;
* the run as a whole sits in a cgroup of its own (:mod:`agents.sandbox_cgroup`): memory of all its processes,
  memfds and tmpfs pages share one limit, and so do its tasks; without writable cgroups this degrades to the
  per-process limits with a :class:`CgroupWarning`;
* a seccomp filter (:mod:`agents.sandbox_seccomp`, ``bwrap --seccomp``) denies new namespaces, mount, the kernel
  keyring, ptrace, io_uring, bpf and perf_event_open;
* leftover ``qt-sandbox-<pid>-*`` folders and cgroups of a caller that died are removed by the next run.

``mode="limits-only"`` (an explicit opt-out, ``QT_SANDBOX_MODE=limits-only``) keeps the limits but not the
isolation; it warns with :class:`SandboxWarning`.

Examples
--------
>>> run_python("print(1 + 1)").stdout            # doctest: +SKIP
'2\\n'
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agents.errors import SandboxError
from agents.sandbox_cgroup import CgroupWarning, RunCgroup
from agents.sandbox_mounts import PKG_ROOT, SANDBOX_TMP, bwrap_argv, ensure_bwrap, package_dirs
from agents.sandbox_result import ExceptionInfo, Mode, SandboxResult, classify, parse_exception
from agents.sandbox_seccomp import seccomp_fd

if TYPE_CHECKING:
    from knowledge.config import Settings

__all__ = [
    "CgroupWarning",
    "ExceptionInfo",
    "Limits",
    "Mode",
    "SandboxResult",
    "SandboxWarning",
    "parse_exception",
    "run_python",
    "sandbox_from_settings",
    "sandbox_options",
]

log = logging.getLogger(__name__)

NOBODY = 65534
#: each run as root gets its own uid from this range: no keyring, RLIMIT_NPROC or file shared between runs
RUN_UIDS = range(100_000, 165_536)
TMP_PREFIX = "qt-sandbox-"
_FILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")

# Runs first inside the sandbox: set the limits, drop to `nobody` when root, then exec the real command.
_LAUNCHER = """\
import os, resource, sys
lim, uid, argv = sys.argv[1].split(','), int(sys.argv[2]), sys.argv[3:]
for name, value in zip(('AS', 'CPU', 'FSIZE', 'NPROC', 'NOFILE', 'CORE'), lim):
    v = int(value)
    hard = v + 1 if name == 'CPU' else v
    resource.setrlimit(getattr(resource, 'RLIMIT_' + name), (v, hard))
if uid >= 0:
    os.setgroups([]); os.setgid(uid); os.setuid(uid)
os.execv(argv[0], argv)
"""


class SandboxWarning(UserWarning):
    """The code runs with resource limits only, without isolation; install bubblewrap to confine it."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one run (units in the names)."""

    timeout_s: float = 10.0
    memory_mb: int = 1024
    output_kb: int = 64
    max_procs: int = 64
    file_mb: int = 16
    tmp_mb: int = 64
    max_files: int = 256

    def validate(self) -> None:
        for name in ("timeout_s", "memory_mb", "output_kb", "max_procs", "file_mb", "tmp_mb", "max_files"):
            if getattr(self, name) <= 0:
                raise SandboxError(f"sandbox limit {name} must be positive, got {getattr(self, name)!r}")


def run_python(
    code: str,
    *,
    timeout_s: float = 10,
    memory_mb: int = 1024,
    output_kb: int = 64,
    files: Mapping[str, str] | None = None,
    mode: Mode = "bwrap",
    max_procs: int = 64,
) -> SandboxResult:
    """Run ``code`` as ``main.py`` in a confined Python process and report how it ended.

    Parameters
    ----------
    code : str
        Python source, run as a script (``__name__ == "__main__"``) in the sandbox's working directory.
    timeout_s : float
        Wall-clock limit in seconds (the CPU-time limit is this plus one second).
    memory_mb : int
        Address-space limit in MiB (``RLIMIT_AS``).
    output_kb : int
        Cap on stdout + stderr in KiB; beyond it the process is killed and ``reason == "output_limit"``.
    files : mapping of str to str, optional
        Extra text files (relative name -> content) placed read-only next to ``main.py``, importable.
    mode : {"bwrap", "limits-only"}
        ``"bwrap"`` confines the code; ``"limits-only"`` is an explicit opt-out that only sets limits.
    max_procs : int
        Process/thread limit (``RLIMIT_NPROC``) for the sandbox user.

    Returns
    -------
    SandboxResult

    Raises
    ------
    SandboxUnavailable
        ``mode="bwrap"`` and bubblewrap is missing or cannot create namespaces here.
    SandboxError
        A limit is not positive or a file name is not a plain relative path.
    """
    limits = Limits(timeout_s=float(timeout_s), memory_mb=int(memory_mb), output_kb=int(output_kb),
                    max_procs=int(max_procs))
    limits.validate()
    all_files = {"main.py": code, **dict(files or {})}
    for name in all_files:
        if not _FILE_NAME.match(name) or ".." in name.split("/"):
            raise SandboxError(f"sandbox file name {name!r} must be a plain relative path like 'data/x.csv'")
    if mode == "bwrap":
        bwrap = ensure_bwrap()
    elif mode == "limits-only":
        warnings.warn("sandbox mode limits-only: the code is NOT isolated (network, files); "
                      "install bubblewrap and set QT_SANDBOX_MODE=bwrap", SandboxWarning, stacklevel=2)
        bwrap = None
    else:
        raise SandboxError(f"unknown sandbox mode {mode!r}; use 'bwrap' or 'limits-only'")

    sweep_workdirs()
    workdir = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-"))
    cgroup = RunCgroup(memory_mb=limits.memory_mb + limits.tmp_mb, max_procs=limits.max_procs)
    filter_fd = seccomp_fd() if bwrap is not None else None
    try:
        for name, text in all_files.items():
            path = workdir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if bwrap is not None:
            uid = RUN_UIDS[secrets.randbelow(len(RUN_UIDS))] if os.geteuid() == 0 else -1
            argv = bwrap_argv(bwrap, tmp_mb=limits.tmp_mb, workdir=workdir, names=sorted(all_files),
                              launch=_launch(limits, uid=uid), seccomp_fd=filter_fd)
            cwd = None
        else:
            argv, cwd = _launch(limits, uid=-1), workdir
        result = _execute(argv, cwd=cwd, env=_sandbox_env(workdir if bwrap is None else None), limits=limits,
                          cgroup=cgroup, pass_fds=() if filter_fd is None else (filter_fd,))
        result.mode = mode
        return result
    finally:
        cgroup.close()
        if filter_fd is not None:
            os.close(filter_fd)
        shutil.rmtree(workdir, ignore_errors=True)


def sweep_workdirs(tmp: Path | None = None) -> int:
    """Remove ``qt-sandbox-<pid>-*`` folders whose process is gone (a caller killed mid-run); how many."""
    removed = 0
    for path in Path(tmp or tempfile.gettempdir()).glob(f"{TMP_PREFIX}*"):
        owner = path.name[len(TMP_PREFIX):].split("-", 1)[0]
        if not owner.isdigit() or not Path(f"/proc/{owner}").exists():
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def sandbox_options(settings: Settings) -> dict[str, Any]:
    """The ``run_python`` keyword arguments configured in ``settings`` (``QT_SANDBOX_*``)."""
    return {
        "mode": settings.sandbox_mode,
        "timeout_s": settings.sandbox_timeout_s,
        "memory_mb": settings.sandbox_memory_mb,
        "output_kb": settings.sandbox_output_kb,
    }


def sandbox_from_settings(settings: Settings) -> Callable[..., SandboxResult]:
    """``run_python`` with the defaults of ``settings``; keyword arguments still override them."""
    return partial(run_python, **sandbox_options(settings))


def _launch(limits: Limits, *, uid: int) -> list[str]:
    lim = ",".join(str(v) for v in (
        limits.memory_mb << 20,
        int(limits.timeout_s) + 1,
        limits.file_mb << 20,
        limits.max_procs,
        limits.max_files,
        0,
    ))
    py = sys.executable
    return [py, "-I", "-S", "-c", _LAUNCHER, lim, str(uid), py, "-s", "main.py"]


def _sandbox_env(workdir: Path | None) -> dict[str, str]:
    home = str(workdir) if workdir is not None else SANDBOX_TMP
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": home,
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "HF_HUB_OFFLINE": "1",
    }
    if workdir is None:
        env["PYTHONPATH"] = PKG_ROOT
    else:
        env["PYTHONPATH"] = os.pathsep.join(sorted({str(p.parent) for p in package_dirs().values()}))
    return env


# -- running and reading ------------------------------------------------------------------------------------


def _execute(argv: list[str], *, cwd: Path | None, env: dict[str, str], limits: Limits, cgroup: RunCgroup,
             pass_fds: tuple[int, ...] = ()) -> SandboxResult:
    """Run ``argv`` in its own process group; enforce wall time and output cap; classify the ending."""
    cap = limits.output_kb * 1024
    start = time.monotonic()
    deadline = start + limits.timeout_s
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, pass_fds=pass_fds,
                            preexec_fn=cgroup.join if cgroup.paths else None)
    assert proc.stdout is not None and proc.stderr is not None
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    bufs = {out_fd: bytearray(), err_fd: bytearray()}
    total, ours = 0, ""  # ours: "timeout" | "output_limit" when we killed it
    with selectors.DefaultSelector() as sel:
        for fd in bufs:
            os.set_blocking(fd, False)
            sel.register(fd, selectors.EVENT_READ)
        while sel.get_map() and not ours:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                ours = "timeout"
                break
            for key, _ in sel.select(remaining):
                chunk = _read(key.fd)
                if chunk is None:
                    continue
                if not chunk:
                    sel.unregister(key.fd)
                    continue
                room = max(cap - total, 0)
                bufs[key.fd] += chunk[:room]
                total += len(chunk)
                if total > cap:
                    ours = "output_limit"
                    break
    if not ours:
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.01))
        except subprocess.TimeoutExpired:
            ours = "timeout"
    if ours:
        _kill_tree(proc)
    proc.wait()
    if cgroup.oom_killed() and not ours:
        ours = "memory"
    proc.stdout.close()
    proc.stderr.close()
    seconds = time.monotonic() - start
    stdout = bufs[out_fd].decode("utf-8", errors="replace")
    stderr = bufs[err_fd].decode("utf-8", errors="replace")
    rc = proc.returncode
    exception = parse_exception(stderr)
    reason = classify(ours, rc, exception, stderr)
    if reason == "timeout" and exception is None:
        exception = ExceptionInfo("TimeoutError", f"time limit of {limits.timeout_s:g} s exceeded")
    elif reason == "output_limit":
        stderr += f"\n[sandbox] output limit of {limits.output_kb} KiB exceeded; the process was stopped\n"
    log.debug("sandbox run: reason=%s rc=%s %.2fs", reason, rc, seconds)
    return SandboxResult(stdout, stderr, exception, reason, rc, seconds)


def _read(fd: int) -> bytes | None:
    """A chunk, ``b""`` at end of file, ``None`` on a spurious wake-up."""
    try:
        return os.read(fd, 65536)
    except BlockingIOError:
        return None
    except OSError:
        return b""


def _kill_tree(proc: subprocess.Popen[bytes], *, grace_s: float = 5.0) -> None:
    """SIGKILL the process group; then wait (bounded) until bwrap's PID-namespace init is gone.

    The kernel lets the namespace's init finish dying only once every process inside has exited, so this
    returns when a fork bomb's processes are really gone (they would otherwise still count against
    ``RLIMIT_NPROC`` for the next run).
    """
    inner = _children(proc.pid)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    end = time.monotonic() + grace_s
    while inner and time.monotonic() < end:
        inner = [pid for pid in inner if _alive(pid)]
        if inner:
            time.sleep(0.02)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in {"Z", "X"}
