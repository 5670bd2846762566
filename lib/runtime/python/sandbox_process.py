"""What the studio's sandboxed Python processes that fork untrusted work share: the environment hosts
and the job workers. Private channels to the studio, and giving up privileges for good."""

import ctypes
import os
import signal
import sys
import time

PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
LINUX_CAPABILITY_VERSION_3 = 0x20080522
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_RESTRICT_SELF = 444, 446  # one number on every architecture
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET, LANDLOCK_SCOPE_SIGNAL = 1, 2
LANDLOCK_FIRST_ABI_WITH_SCOPES = 6  # Linux 6.12
SWEEP_SECONDS = 2.0  # how long end_other_processes waits for what it killed to be reaped
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x08000000, 0x10000000, 0x40000000

libc = ctypes.CDLL(None, use_errno=True)


class CapabilityHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class CapabilitySet(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def make_untraceable():
    """Without Yama, any process of the same user may ptrace this one (or read its memory through
    /proc): a non-dumpable process can only be traced with CAP_SYS_PTRACE, which no one here keeps.
    Returns the errno when the kernel refused, else 0."""
    return 0 if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 else ctypes.get_errno()


def drop_privileges():
    """A process started by root (or owning a user namespace) keeps capabilities; this one gets none,
    for good (bounding set emptied, no new privileges), so it cannot trace or remount anything."""
    for capability in range(64):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # fails for numbers past the last capability
    if libc.capset(ctypes.byref(CapabilityHeader(LINUX_CAPABILITY_VERSION_3, 0)), ctypes.byref((CapabilitySet * 2)())) != 0:
        raise OSError(ctypes.get_errno(), "capset failed: cannot drop capabilities")
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "cannot set no_new_privs")


def enter_own_namespaces(flags):
    """This process moves into a user namespace of its own (its user mapped to itself) and into the
    new namespaces `flags` names, which that user namespace owns: e.g. CLONE_NEWIPC, so the System V
    shared memory, semaphores and message queues (and POSIX queues) it makes die with it instead of
    waiting in the sandbox for the next process."""
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | flags) != 0:
        raise OSError(ctypes.get_errno(), "unshare failed: cannot enter namespaces of its own")
    # A non-dumpable process's /proc/self files belong to root, and the sandbox's user is not root
    # outside (the studio starts it as an unprivileged user even when it runs as root): dumpable for
    # the three writes. Another process of this user could trace it only in that moment, and one in
    # a Landlock domain of its own (every episode and job) cannot trace it at all.
    untraceable = libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0
    libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    try:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as handle:
                handle.write(text)
    finally:
        if untraceable:
            make_untraceable()


class LandlockRuleset(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


def landlock_abi():
    """The kernel's Landlock ABI version, -1 when it has none (errno says why)."""
    return libc.syscall(SYS_LANDLOCK_CREATE_RULESET, None, 0, LANDLOCK_CREATE_RULESET_VERSION)


def signal_scoping_missing():
    """Why this kernel cannot keep a process's signals within its own (keep_signals_within), or None."""
    abi = landlock_abi()
    if abi >= LANDLOCK_FIRST_ABI_WITH_SCOPES:
        return None
    has = f"ABI {abi}" if abi >= 0 else f"no Landlock ({os.strerror(ctypes.get_errno())})"
    return f"Landlock signal scoping needs ABI {LANDLOCK_FIRST_ABI_WITH_SCOPES} (Linux 6.12), this kernel has {has}"


def keep_signals_within():
    """From now on this process and those it starts can signal (or reach by abstract unix socket)
    only each other: a Landlock domain of their own. Needs no_new_privs (drop_privileges). Returns
    why not when the kernel has no such scopes, else None."""
    missing = signal_scoping_missing()
    if missing:
        return missing
    ruleset = LandlockRuleset(0, 0, LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET)
    fd = libc.syscall(SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(ruleset), ctypes.sizeof(ruleset), 0)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        if libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, fd, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(fd)
    return None


def memory_mappings():
    """This process's mappings, from /proc/self/maps: (start, end, permissions, what is mapped, ""
    when anonymous) each. Read as bytes: a mapped file's path need not be ASCII."""
    with open("/proc/self/maps", "rb") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            start, end = (int(bound, 16) for bound in fields[0].split(b"-"))
            yield start, end, fields[1].decode("ascii"), fields[5].strip().decode("utf-8", "backslashreplace") if len(fields) > 5 else ""


def end_other_processes(within_seconds=SWEEP_SECONDS):
    """Kills every process of this sandbox's pid namespace but its init and this one (what untrusted
    code left running, even outside its process group) and waits until each is reaped: by this
    process when the code made it its child (clone with CLONE_PARENT), else by the sandbox's init.
    Returns how many there were, and how many were still there after `within_seconds`."""
    me = os.getpid()
    deadline = time.monotonic() + within_seconds
    found = None
    while True:
        for _ in ended_children():
            pass
        others = [int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) not in (1, me)]
        found = len(others) if found is None else found
        if not others or time.monotonic() >= deadline:
            return found, len(others)
        for pid in others:
            try:
                # Zombies too: one whose first thread ended while others run shows as one.
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.001)


def ended_children():
    """Yields (pid, status) of each child of this process that has ended, collecting it, without waiting."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid, status


def take_channels(unbuffered_requests=False):
    """Stdin and stdout become this process's own channels to the studio (returned as files: bytes
    in, text out); fd 0 becomes /dev/null and fd 1 a copy of stderr, so nothing forked from here
    reaches either. Unbuffered requests suit a caller that select()s on them."""
    requests = os.fdopen(os.dup(0), "rb", buffering=0 if unbuffered_requests else -1)
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return requests, answers
