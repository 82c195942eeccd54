"""The seccomp filter of the sandbox: system calls a learner's code never needs and an attacker wants.

Built with libseccomp (through :mod:`pyseccomp`, a ctypes binding of ``libseccomp.so.2``), exported as a
classic BPF program and handed to bubblewrap with ``--seccomp FD``. Denied with ``EPERM``: new namespaces
(``unshare``, ``setns``, ``clone`` with a ``CLONE_NEW*`` flag), ``mount`` and friends, the kernel keyring
(``keyctl``, ``add_key``, ``request_key``), ``ptrace``, ``io_uring``, ``bpf``, ``perf_event_open``, module
loading, ``kexec``, ``userfaultfd``. ``clone3`` answers ``ENOSYS`` (its flags sit behind a pointer that seccomp
cannot read), so the C library falls back to ``clone``, whose flags it checks. System calls of a foreign
architecture (32-bit ``int 0x80``) kill the process (libseccomp's default for a bad architecture).
"""

from __future__ import annotations

import errno
import logging
import os
from functools import lru_cache

log = logging.getLogger(__name__)

DENIED = (
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr",
    "keyctl", "add_key", "request_key",
    "ptrace", "process_vm_readv", "process_vm_writev",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "bpf", "perf_event_open", "userfaultfd",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
    "open_by_handle_at", "name_to_handle_at", "swapon", "swapoff", "reboot", "acct", "quotactl",
)
#: ``CLONE_NEWNS``, ``NEWCGROUP``, ``NEWUTS``, ``NEWIPC``, ``NEWUSER``, ``NEWPID``, ``NEWNET``, ``NEWTIME``
CLONE_NEW_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080)


@lru_cache(maxsize=1)
def seccomp_program() -> bytes:
    """The compiled BPF program (raise ``ImportError``/``OSError`` when libseccomp is unusable here)."""
    import pyseccomp as sc

    filt = sc.SyscallFilter(sc.ALLOW)
    deny = sc.ERRNO(errno.EPERM)
    for name in DENIED:
        try:
            filt.add_rule(deny, name)
        except (ValueError, RuntimeError, OSError):  # unknown on this kernel/arch: nothing to deny
            log.debug("seccomp: no syscall %s here", name)
    for flag in CLONE_NEW_FLAGS:
        filt.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
    try:
        filt.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    except (ValueError, RuntimeError, OSError):
        log.debug("seccomp: no clone3 here")
    read, write = os.pipe()
    try:
        with os.fdopen(write, "wb") as out:
            filt.export_bpf(out)
        with os.fdopen(read, "rb") as src:
            read = -1
            return src.read()
    finally:
        if read >= 0:
            os.close(read)


def seccomp_fd() -> int | None:
    """A file descriptor positioned at the start of the BPF program (the caller closes it), or ``None``."""
    try:
        program = seccomp_program()
    except (ImportError, OSError, RuntimeError) as exc:
        log.warning("sandbox: no seccomp filter (%s); install libseccomp2 and pyseccomp", exc)
        return None
    fd = os.memfd_create("qt-seccomp", 0)
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
