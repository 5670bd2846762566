"""The loop shared by the studio's long-lived sandboxed Python workers (verifiers, seed databases):
each job runs in its own forked, unprivileged process with a time budget.

Requests arrive as JSON lines on stdin: {"timeout_seconds": float, "jobs": [{"id", ...}]}. This
process gives up every capability before it reads the first request, so the jobs it forks start
without any. For every job it forks: the child runs the worker's run_job(job) and sends its JSON-able
result back through a pipe. A child that outlives the time budget is killed with its
whole process group, so no job can swallow its timeout, and no job sees what an earlier one changed
(patched modules, open files, the working directory). With --sandboxed (this process is alone in its
pid namespace and /tmp is private) every process a job left behind is killed and /tmp is emptied
after each job.

With --sandboxed each job also runs in a user, IPC and network namespace of its own, so the IPC
objects and sockets it makes go with it. When what a job left cannot all be cleared (a process that
outlives the sweep, a /tmp that cannot be emptied), the worker answers that job with "retiring":
why and exits: the studio sends the rest to a new worker in a new sandbox.

One JSON line per job is written, in job order, to the process's original stdout; the jobs' own
prints go to stderr. A line is the job's result plus "id", "duration_ms" and "retiring" (null, or
why the worker ends); a job that timed out or died answers {"id", "ok": false, "error",
"duration_ms", "retiring"}. End of stdin ends the worker.
"""

import json
import os
import select
import shutil
import signal
import stat
import sys
import time

# The studio's runtime folder (lib/runtime/python) holds what the environment hosts share with us.
sys.path.insert(0, sys.argv[sys.argv.index("--runtime-dir") + 1])
import sandbox_process  # noqa: E402

TMP_MODE = stat.S_IMODE(os.stat("/tmp").st_mode)
LENGTH_PREFIX_BYTES = 8


def serve(run_job, label):
    """Answers requests until end of stdin; `label` names a job in errors ("the verifier's process")."""
    sandboxed = "--sandboxed" in sys.argv[1:]
    # Without Yama, a job could ptrace this process (same user) and forge later answers.
    refused = sandbox_process.make_untraceable()
    if refused:
        print(f"{label} worker: cannot make itself untraceable: errno {refused}", file=sys.stderr)
    # Once here rather than in every job: after a fork, the ctypes calls alone touched over a hundred
    # of this process's pages, each a copy-on-write fault (several milliseconds per job). Nothing
    # below needs a capability: the jobs run as this user, and their files are this user's.
    sandbox_process.drop_privileges()
    # Jobs (forked from here) must not read the request channel nor write the results one.
    requests, results = sandbox_process.take_channels()
    private_fds = (requests.fileno(), results.fileno())
    for line in requests:
        request = json.loads(line)
        timeout_seconds = float(request["timeout_seconds"])
        for job in request["jobs"]:
            started = time.perf_counter()
            answer = run_in_child(run_job, job, label, timeout_seconds, private_fds, sandboxed)
            left = clear_leftovers() if sandboxed else None
            answer["id"] = job["id"]
            answer["duration_ms"] = round((time.perf_counter() - started) * 1000, 2)
            answer["retiring"] = left  # set here whatever the job's result said: a job cannot retire its worker
            results.write(json.dumps(answer) + "\n")
            results.flush()
            if left:
                os._exit(0)


def run_in_child(run_job, job, label, timeout_seconds, private_fds, sandboxed):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)
        # The child cannot reach the worker's channels, so it cannot forge results or steal requests.
        for fd in (*private_fds, read_end):
            os.close(fd)
        report_from_child(run_job, write_end, job, label, sandboxed)
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
        return {"ok": False, "error": f"the {label}'s process {describe_exit(status)} before returning"}
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
    """Kills what the job started in the background (even outside its process group), waits until
    it is reaped, and empties the private /tmp, so the next job starts from the same state as the
    first. Returns why that failed (the worker must not take another job), else None."""
    _, left = sandbox_process.end_other_processes()
    if left:
        return f"{left} processes the job left were still there after {sandbox_process.SWEEP_SECONDS:g} s"
    try:
        os.chmod("/tmp", TMP_MODE)  # a job may have taken the folder's own permissions away
        for name in os.listdir("/tmp"):
            target = os.path.join("/tmp", name)
            if os.path.isdir(target) and not os.path.islink(target):
                open_up(target)
                shutil.rmtree(target, ignore_errors=True)
            else:
                try:
                    os.unlink(target)
                except FileNotFoundError:
                    pass
        left = os.listdir("/tmp")
    except (OSError, RecursionError) as error:
        return f"/tmp could not be emptied: {error!r}"
    # E.g. folders nested past what a path can name: rmtree and open_up reach them only in part.
    return f"/tmp could not be emptied: {', '.join(sorted(left)[:5])} remained" if left else None


def open_up(top):
    """A job may leave folders it took its own permissions from (mode 000), which this process, without
    capabilities, could not empty: as their owner it gives them back. Its processes are gone by now,
    and a link is never followed (chmod refuses one rather than change what it points to)."""
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            os.chmod(folder, 0o700, follow_symlinks=False)
            with os.scandir(folder) as entries:
                folders.extend(entry.path for entry in entries if entry.is_dir(follow_symlinks=False))
        except (OSError, NotImplementedError):
            pass  # gone already, or a link: rmtree removes the link itself


def report_from_child(run_job, write_end, job, label, sandboxed):
    """Runs in the forked child and never returns into the worker's loop."""
    try:
        try:
            if sandboxed:
                # Its own network too: sockets it leaves (even in TIME_WAIT, after its processes) go with it.
                sandbox_process.enter_own_namespaces(sandbox_process.CLONE_NEWIPC | sandbox_process.CLONE_NEWNET)
                sandbox_process.drop_privileges()  # those the new user namespace gave
            payload = json.dumps(run_job(job)).encode("utf-8")
        except BaseException as error:  # noqa: BLE001 - even a failure to encode is reported
            payload = json.dumps({"ok": False, "error": f"cannot run the {label} in namespaces of its own, unprivileged, or report its result: {error!r}"}).encode("utf-8")
        view = memoryview(len(payload).to_bytes(LENGTH_PREFIX_BYTES, "big") + payload)
        while view:
            view = view[os.write(write_end, view):]
    finally:
        os._exit(0)


def read_until(fd, deadline):
    """The child's length-prefixed payload (empty if it ended without one), and whether time ran out.
    Framed rather than read to end of file: a process the job left running may hold the pipe."""
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
