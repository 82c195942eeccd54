"""The sandbox contains hostile code and still runs honest code afterwards (real bubblewrap)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from agents import sandbox
from agents.errors import SandboxError, SandboxUnavailable
from agents.sandbox import ExceptionInfo, SandboxWarning, parse_exception, run_python, sandbox_from_settings

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
pytestmark = [pytest.mark.integration]

FORK_BOMB = """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""


def _nobody_processes() -> int:
    """Processes left under a sandbox uid (``nobody`` or the per-run range)."""
    out = subprocess.run(["ps", "-e", "-o", "uid=", "--no-headers"], capture_output=True, text=True, check=False)
    uids = [int(u) for u in out.stdout.split()]
    return sum(u == 65534 or u in sandbox.RUN_UIDS for u in uids)


@needs_bwrap
def test_honest_code_runs_with_numpy_and_files() -> None:
    code = "import numpy as np\nprint(open('data/x.csv').read().strip(), np.arange(4).sum())"
    result = run_python(code, files={"data/x.csv": "a,b\n"})
    assert result.reason == "ok" and result.returncode == 0
    assert result.stdout == "a,b 6\n"
    assert result.exception is None
    assert result.to_dict()["reason"] == "ok"


@needs_bwrap
def test_runs_as_an_unprivileged_uid_in_private_tmp() -> None:
    result = run_python("import os; print(os.getuid(), os.getcwd(), os.environ['HOME'])")
    uid, cwd, home = result.stdout.split()
    assert (int(uid) in sandbox.RUN_UIDS) if os.geteuid() == 0 else uid == str(os.getuid())
    assert (cwd, home) == ("/tmp", "/tmp")


@needs_bwrap
def test_infinite_loop_times_out() -> None:
    result = run_python("while True:\n    pass", timeout_s=1.5)
    assert result.reason == "timeout"
    assert result.exception == ExceptionInfo("TimeoutError", "time limit of 1.5 s exceeded")
    assert 1.4 < result.seconds < 10


@needs_bwrap
@pytest.mark.parametrize(
    "code",
    ["x = bytearray(4 << 30)", "a = []\nwhile True:\n    a.append(' ' * 10**6)",
     "import numpy as np\nx = np.ones((30000, 30000))"],
    ids=["bytearray", "growing-list", "numpy"],
)
def test_memory_bomb_reports_memory(code: str) -> None:
    result = run_python(code, memory_mb=512)
    assert result.reason == "memory"
    assert result.exception is not None and result.exception.type.endswith("MemoryError")


@needs_bwrap
def test_fork_bomb_is_contained_and_cleaned_up() -> None:
    result = run_python(FORK_BOMB, timeout_s=2, max_procs=32)
    assert result.reason in {"timeout", "killed", "error"}
    assert _nobody_processes() == 0  # the whole process tree is gone
    assert run_python("print(1 + 1)").stdout == "2\n"


@needs_bwrap
def test_network_is_unreachable_even_to_host_loopback() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:  # a real listener on the host
        port = server.getsockname()[1]
        result = run_python(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)")
    assert result.reason == "error"
    assert result.exception is not None and result.exception.type == "ConnectionRefusedError"
    outside = run_python("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)")
    assert outside.reason == "error"
    assert outside.exception is not None and "unreachable" in outside.exception.message


@needs_bwrap
def test_home_and_qt_home_are_invisible(qt_home: Path) -> None:
    db = qt_home / "progress.db"
    db.write_text("secret progress")
    code = (
        "import os\n"
        f"print(os.path.exists({str(db)!r}), os.path.exists({str(qt_home)!r}),\n"
        f"      os.path.exists({str(Path.home() / '.ssh')!r}), os.path.exists('/work/main/knowledge'))\n"
        f"open({str(db)!r}).read()\n"
    )
    result = run_python(code)
    assert result.stdout == "False False False False\n"
    assert result.exception is not None and result.exception.type == "FileNotFoundError"


@needs_bwrap
@pytest.mark.parametrize("target", ["/usr/evil.txt", "/etc/evil.txt", "/opt/qt/models/evil.py", "main.py"])
def test_writing_outside_the_temp_dir_fails(target: str) -> None:
    result = run_python(f"open({target!r}, 'w').write('x')")
    assert result.reason == "error"
    assert result.exception is not None
    assert result.exception.type in {"OSError", "PermissionError", "FileNotFoundError"}
    assert not Path("/usr/evil.txt").exists()
    scratch = run_python("open('notes.txt', 'w').write('ok')\nprint(open('notes.txt').read())")
    assert scratch.stdout == "ok\n"


@needs_bwrap
@pytest.mark.parametrize("stream", ["sys.stdout", "sys.stderr"])
def test_output_flood_is_cut(stream: str) -> None:
    result = run_python(f"import sys\nwhile True:\n    {stream}.write('x' * 1000)", output_kb=16)
    assert result.reason == "output_limit"
    assert len(result.stdout.encode()) + len(result.stderr.encode()) <= 16 * 1024 + 200


@needs_bwrap
def test_exit_codes_and_signals() -> None:
    assert run_python("import sys; sys.exit(3)").to_dict()["returncode"] == 3
    assert run_python("import sys; sys.exit(3)").reason == "error"
    killed = run_python("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    assert killed.reason == "killed"


@needs_bwrap
def test_still_fine_after_all_attacks() -> None:
    for code in ("while True: pass", "x = bytearray(8 << 30)", FORK_BOMB, "while True: print('y' * 999)"):
        run_python(code, timeout_s=1, max_procs=32)
    result = run_python("print(1+1)")
    assert (result.reason, result.stdout) == ("ok", "2\n")


@needs_bwrap
def test_settings_drive_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.config import Settings

    monkeypatch.setenv("QT_SANDBOX_TIMEOUT_S", "1")
    monkeypatch.setenv("QT_SANDBOX_OUTPUT_KB", "2")
    run = sandbox_from_settings(Settings())
    assert run("while True: pass").reason == "timeout"
    assert run("print('z' * 5000)").reason == "output_limit"
    assert run("print('z' * 5000)", output_kb=64).reason == "ok"


def test_missing_bwrap_refuses_with_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap"):
        run_python("print(1)")


def test_limits_only_mode_runs_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.warns(SandboxWarning, match="NOT isolated"):
        result = run_python("print(6 * 7)", mode="limits-only")
    assert (result.reason, result.stdout, result.mode) == ("ok", "42\n", "limits-only")
    with pytest.warns(SandboxWarning):
        assert run_python("while True: pass", mode="limits-only", timeout_s=1).reason == "timeout"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"timeout_s": 0}, "timeout_s must be positive"), ({"files": {"../x": ""}}, "plain relative path"),
     ({"mode": "docker"}, "unknown sandbox mode")],
)
def test_bad_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(SandboxError, match=match):
        run_python("print(1)", **kwargs)


def test_parse_exception() -> None:
    trace = (
        'Traceback (most recent call last):\n  File "/tmp/main.py", line 3, in <module>\n    f()\n'
        '  File "/tmp/main.py", line 2, in f\n    return 1/0\nZeroDivisionError: division by zero\n'
    )
    assert parse_exception(trace) == ExceptionInfo("ZeroDivisionError", "division by zero", 2)
    syntax = '  File "/tmp/main.py", line 1\n    x = (1,\n        ^\nSyntaxError: \'(\' was never closed\n'
    assert parse_exception(syntax) == ExceptionInfo("SyntaxError", "'(' was never closed", 1)
    assert parse_exception("just some text\nhello: world\n") is None
    assert parse_exception("") is None
