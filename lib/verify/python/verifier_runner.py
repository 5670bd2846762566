"""A long-lived verifier worker: runs AWM verifier functions inside the verifier sandbox, each in its
own forked process.

Usage: verifier_runner.py [--sandboxed]

Requests arrive as JSON lines on stdin: {"timeout_seconds": float, "jobs": [{"id", "mode", "code",
"initial", "final", "final_answer"}]}. For every job this process forks: the child runs the job's
code in fresh globals holding only sqlite3, json, os and re (AWM's rule), calls its entry point —
verify_task_completion(initial, final, final_answer) in "code" mode, verify_task(initial, final) in
"sql" mode — and sends the result back through a pipe. A child that outlives the time budget is
killed with its whole process group, so no verifier can swallow its timeout, and no verifier sees
what an earlier one changed (patched modules, open files, the working directory). With --sandboxed
(this process is alone in its pid namespace and /tmp is private) every process a verifier left
behind is killed and /tmp is emptied after each job.

One JSON line per job is written, in job order, to the process's original stdout; the verifiers'
own prints go to stderr. A line is {"id", "ok": true, "output", "py_type", "duration_ms"} or
{"id", "ok": false, "error", "duration_ms"}. End of stdin ends the worker.
"""

import builtins
import ctypes
import json
import math
import os
import re
import select
import shutil
import signal
import sqlite3
import sys
import time

ENTRY_POINTS = {"code": "verify_task_completion", "sql": "verify_task"}
VERIFIER_FILE = "verifier.py"
TRACEBACK_TAIL_CHARS = 4000
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
LINUX_CAPABILITY_VERSION_3 = 0x20080522
LEFTOVER_SWEEP_SECONDS = 2.0
LENGTH_PREFIX_BYTES = 8


def main():
    sandboxed = "--sandboxed" in sys.argv[1:]
    libc = ctypes.CDLL(None, use_errno=True)
    make_untraceable(libc)
    requests = os.fdopen(os.dup(0), "rb")
    results = os.fdopen(os.dup(1), "w", encoding="utf-8")
    # Verifiers (forked from here) must not read the request channel nor write the results one.
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    private_fds = (requests.fileno(), results.fileno())
    for line in requests:
        request = json.loads(line)
        timeout_seconds = float(request["timeout_seconds"])
        for job in request["jobs"]:
            started = time.perf_counter()
            answer = run_in_child(job, timeout_seconds, private_fds, libc)
            if sandboxed:
                clear_leftovers()
            answer["id"] = job["id"]
            answer["duration_ms"] = round((time.perf_counter() - started) * 1000, 2)
            results.write(json.dumps(answer) + "\n")
            results.flush()


def make_untraceable(libc):
    """Without Yama, any process of the same user may ptrace this one: a verifier could then rewrite
    the worker and forge later verdicts. A non-dumpable process can only be traced with
    CAP_SYS_PTRACE, which verifiers give up (drop_privileges)."""
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        print(f"verifier worker: cannot make itself untraceable: errno {ctypes.get_errno()}", file=sys.stderr)


class CapabilityHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class CapabilitySet(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_privileges(libc):
    """A sandbox started by root keeps root's capabilities inside; a verifier gets none of them, for
    good (bounding set emptied, no new privileges), so it cannot trace or remount anything."""
    for capability in range(64):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # fails for numbers past the last capability
    if libc.capset(ctypes.byref(CapabilityHeader(LINUX_CAPABILITY_VERSION_3, 0)), ctypes.byref((CapabilitySet * 2)())) != 0:
        raise OSError(ctypes.get_errno(), "capset failed: cannot drop the verifier's capabilities")
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "cannot set no_new_privs for the verifier")


def run_in_child(job, timeout_seconds, private_fds, libc):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)
        # The child cannot reach the worker's channels, so it cannot forge results or steal requests.
        for fd in (*private_fds, read_end):
            os.close(fd)
        report_from_child(write_end, job, libc)
    set_own_group(pid)
    os.close(write_end)
    try:
        payload, timed_out = read_until(read_end, time.monotonic() + timeout_seconds)
    finally:
        os.close(read_end)
    if timed_out:
        kill_group(pid)
    _, status = os.waitpid(pid, 0)
    kill_group(pid)
    if timed_out:
        return {"ok": False, "error": f"timed out after {timeout_seconds:g} s"}
    if not payload:
        return {"ok": False, "error": f"the verifier's process {describe_exit(status)} before returning"}
    return json.loads(payload)


def set_own_group(pid):
    """Also done here (not only in the child) so the group exists before any kill_group."""
    try:
        os.setpgid(pid, pid)
    except (PermissionError, ProcessLookupError):
        pass  # the child is already gone


def kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def clear_leftovers():
    """Kills what the verifier started in the background (even outside its process group) and empties
    the private /tmp, so the next verifier starts from the same state as the first."""
    me = os.getpid()
    deadline = time.monotonic() + LEFTOVER_SWEEP_SECONDS
    while time.monotonic() < deadline:
        living = [pid for pid in sandbox_pids() if pid not in (1, me) and not is_zombie(pid)]
        if not living:
            break
        for pid in living:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.001)
    for name in os.listdir("/tmp"):
        target = os.path.join("/tmp", name)
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target, ignore_errors=True)
        else:
            try:
                os.unlink(target)
            except FileNotFoundError:
                pass


def sandbox_pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def is_zombie(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return True


def report_from_child(write_end, job, libc):
    """Runs in the forked child and never returns into the worker's loop."""
    try:
        try:
            drop_privileges(libc)
            payload = json.dumps(run_job(job)).encode("utf-8")
        except BaseException as error:  # noqa: BLE001 - even a failure to encode is reported
            payload = json.dumps({"ok": False, "error": f"cannot run the verifier unprivileged or report its result: {error!r}"}).encode("utf-8")
        view = memoryview(len(payload).to_bytes(LENGTH_PREFIX_BYTES, "big") + payload)
        while view:
            view = view[os.write(write_end, view):]
    finally:
        os._exit(0)


def read_until(fd, deadline):
    """The child's length-prefixed payload (empty if it ended without one), and whether time ran out.
    Framed rather than read to end of file: a process the verifier left running may hold the pipe."""
    received = bytearray()
    while True:
        if len(received) >= LENGTH_PREFIX_BYTES:
            expected = LENGTH_PREFIX_BYTES + int.from_bytes(received[:LENGTH_PREFIX_BYTES], "big")
            if len(received) >= expected:
                return bytes(received[LENGTH_PREFIX_BYTES:expected]), False
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"", True
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"", False
            received += chunk


def describe_exit(status):
    if os.WIFSIGNALED(status):
        return f"was killed by signal {os.WTERMSIG(status)}"
    return f"exited with code {os.WEXITSTATUS(status)}"


def run_job(job):
    entry = ENTRY_POINTS[job["mode"]]
    scope = {"__builtins__": builtins, "__name__": "awm_verifier", "sqlite3": sqlite3, "json": json, "os": os, "re": re}
    try:
        exec(compile(job["code"], VERIFIER_FILE, "exec"), scope)
        function = scope.get(entry)
        if not callable(function):
            return {"ok": False, "error": f"the verifier code defines no function {entry}(...)"}
        output = call_entry(function, job)
    except BaseException as error:  # noqa: BLE001 - whatever the verifier raises is reported, never fatal
        return {"ok": False, "error": traceback_tail(error, job["code"])}
    return {"ok": True, "output": jsonable(output), "py_type": type(output).__name__}


def call_entry(function, job):
    arguments = [job["initial"], job["final"]]
    if job["mode"] == "code" and accepts_third_argument(function):
        arguments.append(job.get("final_answer"))
    return function(*arguments)


def accepts_third_argument(function):
    code = getattr(function, "__code__", None)
    if code is None:
        return True
    takes_varargs = bool(code.co_flags & 0x04)
    return takes_varargs or code.co_argcount >= 3


def traceback_tail(error, code):
    """The traceback from the verifier's own frames on, quoting its source lines."""
    import linecache
    import traceback

    linecache.cache[VERIFIER_FILE] = (len(code), None, code.splitlines(True), VERIFIER_FILE)
    frames = error.__traceback__
    while frames is not None and frames.tb_frame.f_code.co_filename == __file__:
        frames = frames.tb_next
    text = "".join(traceback.format_exception(type(error), error, frames)).rstrip()
    return text[-TRACEBACK_TAIL_CHARS:]


def jsonable(value):
    """What json.dumps can write and JSON.parse can read: sets and tuples become lists, bytes and
    NaN/Infinity become text, anything else its repr."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", errors="replace")
    return repr(value)


if __name__ == "__main__":
    main()
