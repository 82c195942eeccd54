"""The per-run cgroup's layout on a fake ``/sys/fs/cgroup``: cgroup v2 (what this machine, on v1, cannot run for
real), v1, and the warned degradation. The kernel's enforcement is tested on the real v1 hierarchy by
``tests/reliability/test_sandbox_attacks.py``."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from agents import sandbox_cgroup
from agents.sandbox_cgroup import PREFIX, CgroupWarning, RunCgroup


def _own_v2() -> str:
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        if line.startswith("0::"):
            return line[3:].strip("/")
    return ""


def test_v2_writes_memory_swap_and_pids_limits_in_a_child_of_our_group(tmp_path: Path) -> None:
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids\n")
    own = tmp_path / _own_v2()
    own.mkdir(parents=True, exist_ok=True)
    group = RunCgroup(memory_mb=256, max_procs=32, root=tmp_path)
    assert group.version == 2 and len(group.paths) == 1
    path = group.paths[0]
    assert path.parent == own / PREFIX and path.name.split("-")[0].isdigit()
    assert (own / PREFIX / "cgroup.subtree_control").read_text() == "+memory +pids"
    assert (path / "memory.max").read_text() == str(256 << 20)
    assert (path / "memory.swap.max").read_text() == "0"
    assert (path / "pids.max").read_text() == "32"


def test_v1_uses_the_memory_and_pids_hierarchies(tmp_path: Path) -> None:
    own = sandbox_cgroup._own_v1()
    for ctrl in ("memory", "pids"):
        (tmp_path / ctrl / own.get(ctrl, "")).mkdir(parents=True, exist_ok=True)
    group = RunCgroup(memory_mb=128, max_procs=16, root=tmp_path)
    assert group.version == 1
    mem, pids = group.paths
    assert (mem / "memory.limit_in_bytes").read_text() == str(128 << 20)
    assert (pids / "pids.max").read_text() == "16"


def test_without_a_writable_cgroup_the_run_degrades_with_a_warning(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox_cgroup, "_warned", False)
    (tmp_path / "cgroup.controllers").write_text("memory pids\n")
    own = _own_v2()
    blocker = tmp_path / own if own else tmp_path / PREFIX
    with contextlib.suppress(FileExistsError):
        blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")  # v2 cannot make its group: as when the group is not delegated to us
    with pytest.warns(CgroupWarning, match="limits hold per process only"):
        group = RunCgroup(memory_mb=128, max_procs=16, root=tmp_path)
    assert (group.version, group.paths) == (0, [])
