"""Runs AWM verifier functions inside the verifier sandbox, each in its own forked process.

Usage: verifier_runner.py JOBS_JSON

JOBS_JSON holds {"timeout_seconds": float, "jobs": [{"id", "mode", "code", "initial", "final",
"final_answer"}]}. For every job this process forks: the child runs the job's code in fresh globals
holding only sqlite3, json, os and re (AWM's rule), calls its entry point —
verify_task_completion(initial, final, final_answer) in "code" mode, verify_task(initial, final) in
"sql" mode — and sends the result back through a pipe. A child that outlives the time budget is
killed, so no verifier can swallow its timeout, and no verifier sees what an earlier one changed
(patched modules, open files, the working directory).

One JSON line per job is written, in job order, to the process's original stdout; the verifiers'
own prints go to stderr. A line is {"id", "ok": true, "output", "py_type", "duration_ms"} or
{"id", "ok": false, "error", "duration_ms"}.
"""

import builtins
import json
import math
import os
import re
import select
import signal
import sqlite3
import sys
import time

ENTRY_POINTS = {"code": "verify_task_completion", "sql": "verify_task"}
VERIFIER_FILE = "verifier.py"
TRACEBACK_TAIL_CHARS = 4000


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    results = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for job in request["jobs"]:
        started = time.perf_counter()
        line = run_in_child(job, float(request["timeout_seconds"]), results.fileno())
        line["id"] = job["id"]
        line["duration_ms"] = round((time.perf_counter() - started) * 1000, 2)
        results.write(json.dumps(line) + "\n")
        results.flush()


def run_in_child(job, timeout_seconds, results_fd):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        # The child cannot reach the results channel, so it cannot forge other jobs' results.
        os.close(results_fd)
        os.close(read_end)
        report_from_child(write_end, job)
    os.close(write_end)
    try:
        payload, timed_out = read_until(read_end, time.monotonic() + timeout_seconds)
    finally:
        os.close(read_end)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return {"ok": False, "error": f"timed out after {timeout_seconds:g} s"}
    if not payload:
        return {"ok": False, "error": f"the verifier's process {describe_exit(status)} before returning"}
    return json.loads(payload)


def report_from_child(write_end, job):
    try:
        line = run_job(job)
        payload = json.dumps(line).encode("utf-8")
    except BaseException as error:  # noqa: BLE001 - even a failure to encode is reported
        payload = json.dumps({"ok": False, "error": f"cannot report the verifier's result: {error!r}"}).encode("utf-8")
    view = memoryview(payload)
    while view:
        view = view[os.write(write_end, view):]
    os._exit(0)


def read_until(fd, deadline):
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"", True
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks), False
            chunks.append(chunk)


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
