"""Bubblewrap plumbing of the sandbox: finding a working ``bwrap`` and building its mount table.

What the confined process sees: read-only ``/usr`` and the ``/lib*``/``/bin`` links, a few ``/etc`` files, the
Python installation (even when it lives under ``/tmp``, as in a CI clone) and our ``models``/``finance``
packages at ``/opt/qt``, over a private tmpfs at ``/tmp``. See :mod:`agents.sandbox` for limits and results.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import site
import subprocess
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from agents.errors import SandboxUnavailable

log = logging.getLogger(__name__)

SANDBOX_TMP = "/tmp"
PKG_ROOT = "/opt/qt"
INSTALL_HINT = "install it with `apt-get install bubblewrap` (or `dnf install bubblewrap`)"
_ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives", "mime.types")


def ensure_bwrap() -> str:
    """Path of a working ``bwrap``; raise :class:`SandboxUnavailable` saying how to get one otherwise."""
    exe = shutil.which("bwrap")
    if exe is None:
        raise SandboxUnavailable(
            f"bubblewrap (bwrap) is not installed, so code cannot run confined: {INSTALL_HINT}. "
            "To run with resource limits only and NO isolation, set QT_SANDBOX_MODE=limits-only."
        )
    problem = _probe_bwrap(exe)
    if problem:
        raise SandboxUnavailable(
            f"bubblewrap cannot create its namespaces here ({problem}). Allow unprivileged user namespaces "
            "(sysctl kernel.unprivileged_userns_clone=1) or run as root; or set QT_SANDBOX_MODE=limits-only "
            "to run with resource limits only and NO isolation."
        )
    return exe


@lru_cache(maxsize=4)
def _probe_bwrap(exe: str) -> str:
    """Empty string when ``exe`` can build our kind of sandbox, else bwrap's complaint."""
    argv = [exe, *_namespace_args(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(1 << 20), "--tmpfs", SANDBOX_TMP, "true"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    return "" if done.returncode == 0 else (done.stderr.strip() or f"exit code {done.returncode}")


def _namespace_args() -> list[str]:
    args = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session"]
    if os.geteuid() == 0:
        # Real root: no user namespace; keep only what the launcher needs to drop to `nobody`.
        return [*args, "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return ["--unshare-user", "--disable-userns", *args]


def bwrap_argv(bwrap: str, *, tmp_mb: int, workdir: Path, names: Iterable[str], launch: list[str],
               seccomp_fd: int | None = None) -> list[str]:
    """The bwrap command line: namespaces, read-only system and Python, a private tmpfs, the files, the launcher."""
    argv = [bwrap, *_namespace_args()]
    if seccomp_fd is not None:
        argv.extend(["--seccomp", str(seccomp_fd)])
    mounted: list[str] = []  # sandbox paths bound or mounted: everything below them is already there
    made: set[str] = set()  # directories created in the sandbox root

    def under_mount(d: str) -> bool:
        return any(d == m or d.startswith(m.rstrip("/") + "/") for m in mounted)

    def ensure_dirs(dest: str) -> None:
        parts = Path(dest).parts
        for i in range(2, len(parts)):
            d = str(Path(*parts[:i]))
            if d not in made and not under_mount(d):
                argv.extend(["--perms", "0755", "--dir", d])
                made.add(d)

    for name in ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = Path("/") / name
        if host.is_symlink():
            argv.extend(["--symlink", os.readlink(host), str(host)])
        elif host.is_dir():
            argv.extend(["--ro-bind", str(host), str(host)])
            mounted.append(str(host))
    argv.extend(["--proc", "/proc", "--dev", "/dev"])
    argv.extend(["--perms", "1777", "--size", str(tmp_mb << 20), "--tmpfs", SANDBOX_TMP])
    # the tmpfs is empty: a venv or checkout that lives under /tmp on the host (a CI clone) is bound on top
    # of it below, so SANDBOX_TMP is deliberately not a "mounted" host path
    made.add(SANDBOX_TMP)
    for name in _ETC_FILES:
        if Path("/etc", name).exists():
            ensure_dirs(f"/etc/{name}")
            argv.extend(["--ro-bind", f"/etc/{name}", f"/etc/{name}"])
    for host in python_roots():
        if not under_mount(str(host)):
            ensure_dirs(str(host))
            argv.extend(["--ro-bind", str(host), str(host)])
            mounted.append(str(host))
    for name, host in package_dirs().items():
        ensure_dirs(f"{PKG_ROOT}/{name}")
        argv.extend(["--ro-bind", str(host), f"{PKG_ROOT}/{name}"])
    for name in names:
        for parent in reversed(Path(name).parents[:-1]):
            if f"{SANDBOX_TMP}/{parent}" not in made:
                argv.extend(["--perms", "1777", "--dir", f"{SANDBOX_TMP}/{parent}"])
                made.add(f"{SANDBOX_TMP}/{parent}")
        argv.extend(["--ro-bind", str(workdir / name), f"{SANDBOX_TMP}/{name}"])
    argv.extend(["--chdir", SANDBOX_TMP])
    argv.extend(launch)
    return argv


def python_roots() -> list[Path]:
    """Host directories that make the interpreter, its standard library and site-packages work."""
    cands = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             str(Path(os.path.realpath(sys.executable)).parent.parent)}
    cands.update(p for p in site.getsitepackages() if Path(p).is_dir())
    home = Path.home().resolve()
    roots: list[Path] = []
    for c in sorted({Path(os.path.realpath(c)) for c in cands}, key=lambda p: len(p.parts)):
        if c == Path("/") or c == home or c in home.parents or Path("/etc") in (c, *c.parents):
            log.warning("sandbox: not binding %s (would expose the home directory or the whole system)", c)
            continue
        if c.parts[1:2] == ("usr",) or any(r == c or r in c.parents for r in roots):
            continue
        roots.append(c)
    return roots


@lru_cache(maxsize=1)
def package_dirs() -> dict[str, Path]:
    """Our pure packages the sandboxed code may import (read-only)."""
    found: dict[str, Path] = {}
    for name in ("models", "finance"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            found[name] = Path(list(spec.submodule_search_locations)[0]).resolve()
    return found


