"""One control group per sandbox run: the memory and the processes of the whole run share one limit.

``RLIMIT_AS`` bounds each process; a run that forks, fills memfds or a tmpfs would still take the machine.
:class:`RunCgroup` puts the run's first process (bubblewrap, before it execs) in a fresh cgroup, so every
descendant, its anonymous memory, memfds and tmpfs pages count against ``memory_mb`` and its tasks against
``max_procs``. It is killed and removed at the end; groups left by a caller that died are swept by the next run.

Where it lives, in order of preference:

* cgroup v2 (``/sys/fs/cgroup/cgroup.controllers``): a child of our own group, with ``memory.max``,
  ``memory.swap.max`` and ``pids.max`` (needs the group delegated to us: root, or ``systemd-run --user
  --scope -p Delegate=yes quant-tutor ...``);
* cgroup v1: ``qt-sandbox/<run>`` under the ``memory`` and ``pids`` hierarchies, with
  ``memory.limit_in_bytes`` (and ``memory.memsw.limit_in_bytes`` when swap is accounted) and ``pids.max``;
* neither writable (a laptop without delegation): the run keeps its per-process limits only and
  :class:`CgroupWarning` says so, once per process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import signal
import time
import warnings
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path("/sys/fs/cgroup")
PREFIX = "qt-sandbox"
_warned = False


class CgroupWarning(UserWarning):
    """No writable cgroup: memory and process limits hold per process only, not for the run as a whole."""


class RunCgroup:
    """The cgroup(s) of one run. ``paths`` is empty when none could be made (the degraded mode)."""

    def __init__(self, *, memory_mb: int, max_procs: int, root: Path = ROOT) -> None:
        self.root = root
        self.paths: list[Path] = []
        self.version = 0
        name = f"{os.getpid()}-{secrets.token_hex(4)}"
        try:
            if (root / "cgroup.controllers").exists():
                self._make_v2(name, memory_mb, max_procs)
            elif (root / "memory").is_dir() and (root / "pids").is_dir():
                self._make_v1(name, memory_mb, max_procs)
        except OSError as exc:
            log.debug("sandbox cgroup: %s", exc)
            self.close()
        if not self.paths:
            _warn_once()

    # -- creation ----------------------------------------------------------------------------------------

    def _make_v1(self, name: str, memory_mb: int, max_procs: int) -> None:
        own = _own_v1()
        for ctrl in ("memory", "pids"):
            parent = self.root / ctrl / own.get(ctrl, "") / PREFIX
            parent.mkdir(exist_ok=True)
            sweep(parent)
            path = parent / name
            path.mkdir()
            self.paths.append(path)
        mem, pids = self.paths
        limit = str(memory_mb << 20)
        (mem / "memory.limit_in_bytes").write_text(limit)
        if (mem / "memory.memsw.limit_in_bytes").exists():
            with contextlib.suppress(OSError):
                (mem / "memory.memsw.limit_in_bytes").write_text(limit)
        (pids / "pids.max").write_text(str(max_procs))
        self.version = 1

    def _make_v2(self, name: str, memory_mb: int, max_procs: int) -> None:
        own = ""
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            if line.startswith("0::"):
                own = line[3:].strip("/")
        parent = self.root / own / PREFIX if own else self.root / PREFIX
        parent.mkdir(exist_ok=True)
        (parent / "cgroup.subtree_control").write_text("+memory +pids")
        sweep(parent)
        path = parent / name
        path.mkdir()
        self.paths.append(path)
        (path / "memory.max").write_text(str(memory_mb << 20))
        with contextlib.suppress(OSError):
            (path / "memory.swap.max").write_text("0")
        (path / "pids.max").write_text(str(max_procs))
        self.version = 2

    # -- use -------------------------------------------------------------------------------------------

    def join(self) -> None:
        """Move the calling process in (used as ``preexec_fn``, in the child before it execs)."""
        for path in self.paths:
            (path / "cgroup.procs").write_text(str(os.getpid()))

    def oom_killed(self) -> bool:
        """True when the kernel killed a process of the run for exceeding the memory limit."""
        for path in self.paths:
            for name, key in (("memory.oom_control", "oom_kill"), ("memory.events", "oom_kill")):
                with contextlib.suppress(OSError, ValueError):
                    for line in (path / name).read_text().splitlines():
                        parts = line.split()
                        if len(parts) == 2 and parts[0] == key and int(parts[1]) > 0:
                            return True
            with contextlib.suppress(OSError, ValueError):
                if int((path / "memory.failcnt").read_text()) > 0:
                    return True
        return False

    def close(self) -> None:
        """Kill whatever is left in the group and remove it."""
        for path in self.paths:
            kill_and_remove(path)
        self.paths = []


def kill_and_remove(path: Path, *, grace_s: float = 5.0) -> None:
    end = time.monotonic() + grace_s
    while True:
        try:
            pids = [int(p) for p in (path / "cgroup.procs").read_text().split()]
        except OSError:
            pids = []
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > end:
                log.warning("sandbox cgroup %s could not be removed", path)
                return
            time.sleep(0.02)


def sweep(parent: Path) -> None:
    """Remove the groups of runs whose caller is gone (the name starts with the caller's pid)."""
    for child in parent.iterdir():
        if not child.is_dir():
            continue
        owner = child.name.split("-", 1)[0]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            kill_and_remove(child, grace_s=0.5)


def _own_v1() -> dict[str, str]:
    """Our own group in each v1 hierarchy (so the runs stay inside the limits the caller already has)."""
    own: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, ctrls, path = line.split(":", 2)
            for ctrl in ctrls.split(","):
                own[ctrl] = path.strip("/")
    return own


def _warn_once() -> None:
    global _warned
    if _warned:
        return
    _warned = True
    msg = ("sandbox: no writable cgroup (v2 delegated or v1 memory+pids), so memory and process limits hold per "
           "process only; a run that forks or fills a tmpfs can exceed them. Run as root, or start quant-tutor "
           "under `systemd-run --user --scope -p Delegate=yes`.")
    log.warning(msg)
    warnings.warn(msg, CgroupWarning, stacklevel=3)
