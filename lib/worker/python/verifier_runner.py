"""A long-lived verifier worker: runs AWM verifier functions inside the verifier sandbox, each in its
own forked process (the loop, time budget and clean-up are forked_jobs.py's).

Usage: verifier_runner.py [--sandboxed]

Jobs: {"id", "mode", "code", "initial", "final", "final_answer"}. The child runs the job's code in
fresh globals holding only sqlite3, json, os and re (AWM's rule) and calls its entry point —
verify_task_completion(initial, final, final_answer) in "code" mode, verify_task(initial, final) in
"sql" mode. An answer is {"id", "ok": true, "output", "py_type", "duration_ms"} or
{"id", "ok": false, "error", "duration_ms"}.
"""

import builtins
import json
import math
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder out

import forked_jobs  # noqa: E402

ENTRY_POINTS = {"code": "verify_task_completion", "sql": "verify_task"}
VERIFIER_FILE = "verifier.py"
TRACEBACK_TAIL_CHARS = 4000


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
    forked_jobs.serve(run_job, "verifier")
