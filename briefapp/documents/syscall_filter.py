"""A seccomp filter for the render process: what Landlock cannot refuse.

Landlock (``confinement``) refuses writes outside the process's own folder and
TCP, but not connecting to a Unix socket by its path (a session bus that
starts programs, a container daemon's socket), nor changing a file's mode,
owner, times or extended attributes. The render process needs none of these,
so the filter answers EPERM to creating any socket, to every such change and
to io_uring (which would create sockets past the filter), and to system calls
of any other architecture (32-bit calls from a 64-bit process). Pipes already
open, such as the one to the parent, keep working.
"""

from __future__ import annotations

import ctypes
import errno
import platform

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
_X32_BIT = 0x40000000

# Per architecture: the audit number the kernel reports, then the refused
# calls: socket, io_uring_setup, then the chmod, chown, utime and xattr calls.
_REFUSED = {
    "x86_64": (
        0xC000003E,
        (41, 425, 90, 91, 268, 452, 92, 93, 94, 260, 132, 235, 261, 280,
         188, 189, 190, 197, 198, 199, 463, 466),
    ),
    "aarch64": (
        0xC00000B7,
        (198, 425, 52, 53, 452, 54, 55, 88, 5, 6, 7, 14, 15, 16, 463, 466),
    ),
}  # fmt: skip


class _Instruction(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class _Program(ctypes.Structure):
    _fields_ = [
        ("len", ctypes.c_ushort),
        ("filter", ctypes.POINTER(_Instruction)),
    ]


def supported() -> bool:
    """Whether this machine's architecture has a filter here."""
    return platform.machine() in _REFUSED


def install() -> None:
    """Install the filter in this process, for good.

    Raises:
        OSError: the kernel refused it (or the architecture has no filter here).
    """
    if not supported():
        raise OSError(errno.ENOTSUP, f"no filter for {platform.machine()}")
    arch, refused = _REFUSED[platform.machine()]
    deny = _RET_ERRNO | errno.EPERM
    code = [
        (_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, deny),
        (_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
    ]
    if arch == _REFUSED["x86_64"][0]:
        code.append((_JGE_K, len(refused) + 1, 0, _X32_BIT))
    for index, number in enumerate(refused):
        code.append((_JEQ_K, len(refused) - index, 0, number))
    code += [(_RET_K, 0, 0, _RET_ALLOW), (_RET_K, 0, 0, deny)]
    instructions = (_Instruction * len(code))(*(_Instruction(*i) for i in code))
    program = _Program(len(code), instructions)
    libc = ctypes.CDLL(None, use_errno=True)
    zero = ctypes.c_ulong(0)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), zero, zero, zero) != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"prctl(PR_SET_NO_NEW_PRIVS): {errno.errorcode[number]}")
    mode = ctypes.c_ulong(_SECCOMP_MODE_FILTER)
    if libc.prctl(_PR_SET_SECCOMP, mode, ctypes.byref(program), zero, zero) != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"prctl(PR_SET_SECCOMP): {errno.errorcode[number]}")
