"""Attacks on the sandbox as a whole run: each must be contained (issue 15). Real bubblewrap, real cgroups."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from agents import sandbox
from agents.sandbox import run_python

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed"),
]

SYSCALL = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
r = libc.syscall({nr}, *[ctypes.c_long(a) for a in {args}])
print(r, ctypes.get_errno())
"""
#: x86_64 numbers: a denied call answers -1 with EPERM (1) whatever its arguments
DENIED_SYSCALLS = {
    "unshare_newuser": (272, [0x10000000]),
    "unshare_newns": (272, [0x00020000]),
    "setns": (308, [0, 0]),
    "mount_tmpfs": (165, [0, 0, 0, 0, 0]),
    "clone_newuser": (56, [0x10000000 | 17, 0, 0, 0, 0]),
    "keyctl_session": (250, [0, -3, 0]),
    "add_key": (248, [0, 0, 0, 0, 0]),
    "request_key": (249, [0, 0, 0, 0]),
    "ptrace_traceme": (101, [0, 0, 0, 0]),
    "io_uring_setup": (425, [8, 0]),
    "bpf": (321, [0, 0, 0]),
    "perf_event_open": (298, [0, 0, -1, -1, 0]),
    "userfaultfd": (323, [0]),
}

FORKED_MEMORY = """
import os, time
kids = []
for i in range(4):
    pid = os.fork()
    if pid == 0:
        b = bytearray(600 << 20)
        for j in range(0, len(b), 4096):
            b[j] = 1
        time.sleep(2)
        os._exit(0)
    kids.append(pid)
codes = [os.waitpid(p, 0)[1] for p in kids]
print("ALL" if all(c == 0 for c in codes) else "CUT")
"""
MEMFDS = """
import os
fds = []
for i in range(128):
    fd = os.memfd_create("x")
    os.write(fd, b"x" * (16 << 20))
    fds.append(fd)
print("ALL")
"""
TMPFS_FILL = """
with open("/tmp/fill", "wb") as f:
    for i in range(2000):
        f.write(b"x" * (1 << 20))
print("ALL")
"""
UNSHARE_TOOL = """
import subprocess
r = subprocess.run(["unshare", "-Urm", "sh", "-c", "mount -t tmpfs none /mnt && echo MOUNTED"],
                   capture_output=True, text=True)
print(r.stdout)
"""


@pytest.mark.skipif(sys.platform != "linux" or os.uname().machine != "x86_64", reason="x86_64 syscall numbers")
@pytest.mark.parametrize("name", sorted(DENIED_SYSCALLS))
def test_dangerous_syscalls_are_denied(name: str) -> None:
    nr, args = DENIED_SYSCALLS[name]
    result = run_python(SYSCALL.format(nr=nr, args=args))
    assert result.stdout.split() == ["-1", "1"], result.stderr


@pytest.mark.parametrize("code", [FORKED_MEMORY, MEMFDS, TMPFS_FILL], ids=["forked", "memfd", "tmpfs"])
def test_memory_of_the_whole_run_is_bounded(code: str) -> None:
    result = run_python(code, memory_mb=1024, timeout_s=20)
    assert "ALL" not in result.stdout
    assert result.reason != "ok" or "CUT" in result.stdout


def test_nested_namespace_tool_cannot_mount() -> None:
    assert "MOUNTED" not in run_python(UNSHARE_TOOL).stdout


def test_each_run_has_its_own_unprivileged_uid() -> None:
    if os.geteuid() != 0:
        pytest.skip("distinct uids need root; without it the run is in its own user namespace")
    uids = {run_python("import os; print(os.getuid())").stdout.strip() for _ in range(3)}
    assert all(int(u) in sandbox.RUN_UIDS for u in uids) and len(uids) >= 2


def test_pids_of_one_run_are_bounded_as_a_whole() -> None:
    code = ("import os, time\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n"
            "            time.sleep(5); os._exit(0)\n        n += 1\nexcept OSError:\n    print(n)\n")
    result = run_python(code, max_procs=16, timeout_s=10)
    assert int(result.stdout.split()[0]) < 16


def test_shadow_and_host_files_are_invisible() -> None:
    result = run_python("import os; print(os.path.exists('/etc/shadow'), os.path.exists('/etc/passwd'))")
    assert result.stdout.split() == ["False", "False"]


def test_leftover_temp_folders_and_cgroups_of_a_dead_caller_are_removed() -> None:
    tmp = Path(tempfile.gettempdir())
    stale = tmp / f"{sandbox.TMP_PREFIX}999999999-dead"
    stale.mkdir(exist_ok=True)
    code = "from agents.sandbox import run_python; run_python('import time; time.sleep(30)', timeout_s=60)"
    caller = subprocess.Popen([sys.executable, "-c", code], env={**os.environ})
    time.sleep(2.0)
    mine = list(tmp.glob(f"{sandbox.TMP_PREFIX}{caller.pid}-*"))
    caller.send_signal(signal.SIGKILL)
    caller.wait()
    run_python("print(1)")
    assert not stale.exists()
    assert mine and not any(p.exists() for p in mine)
    cgroups = list(Path("/sys/fs/cgroup").glob(f"**/qt-sandbox/{caller.pid}-*"))
    assert cgroups == []


def test_four_runs_in_parallel_each_get_their_own_limits() -> None:
    from concurrent.futures import ThreadPoolExecutor

    code = "b = bytearray(300 << 20)\nfor i in range(0, len(b), 4096):\n    b[i] = 1\nprint('ok')"
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: run_python(code, memory_mb=1024, timeout_s=30), range(4)))
    assert [r.stdout.strip() for r in results] == ["ok"] * 4
