"""Hosts the episodes of one AWM environment (a generated FastAPI file) inside its sandbox.

Usage: awm_host.py --code env.py --seed seed.db --slots N [--disk-bytes B --tmp-bytes B --answer-bytes B] [--fresh]

This process imports the environment's code once, against its own copy of the seed database at
/episode/state.db, then forks one process per episode. A fork starts from the state of a process
that has just imported the code: module-level variables (counters, dicts, caches) as at import,
the database as the import left it, no thread, no connection. An episode's reset is a new fork, so
nothing an episode did, in its database or in its memory, reaches the next one (AWM starts a fresh
process per episode; this gives the same start for the price of a fork).

Each episode, before it runs any code of the environment, gets its own user, mount, network and
IPC namespace: a fresh tmpfs at /episode (its database, `--disk-bytes`) and at /tmp (`--tmp-bytes`),
the host's own folder and terminals hidden, of /proc only its own entry, everything else
read-only, no capabilities, not traceable. The database path the code imported with is the same in
every episode and names a different file in each.

Processes the import leaves running are ended before any episode starts. When it leaves a thread
running, a file open (a module-level sqlite3 connection), shared memory or a hook, forks would share
it between episodes, and it would keep running in this process beside every episode's socket: then
this process answers {"import_left": why} and exits, the studio starts a new sandbox whose host
never imports the code (--not-forkable), and each episode imports it after its fork instead, at the
cost of an import (as with --fresh, e.g. unsandboxed, where there are no namespaces).

Channels (the studio binds every socket, so the code never chooses what the studio connects to):
fds 3 .. 3+N-1 are the slots' listening sockets, fds 3+N .. 3+2N-1 the slots' pipes (an episode's
stdout and stderr; it waits there for one byte, "go", before it runs: the studio puts it in its own
cgroup first). Requests arrive as JSON lines on stdin: {"op": "spawn", "slot": i} and
{"op": "kill", "slot": i}. This process answers on stdout: {"ready", "forkable", "why"} once the
code is imported (or {"import_left": why}, above), {"spawned": i, "pid": p} (p in this sandbox's pid namespace), {"killed": i} and,
for an episode that ended by itself, {"exited": i, "status": text}.

Each episode serves the environment's `app` (with uvicorn, on its slot) plus GET /__awm/snapshot,
hidden from the OpenAPI schema: a consistent copy of its database as bytes, so the studio never
opens a file this code could have replaced with a link, with its version in the X-AWM-DB-Version
header; with ?since=<that version> and nothing committed since, the answer is 204 and no copy.
A call sent with X-AWM-Capture has its database copied before it is answered (captures.py).
An exception the code does not handle is answered as HTTP 500 with JSON {"detail": "Internal Server Error", "traceback", "traceback_length"}
(see add_traceback_answers).
"""

import argparse
import ctypes
import gc
import json
import os
import select
import shutil
import signal
import sqlite3
import sys
import threading
import traceback
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sandbox_process  # noqa: E402
from captures import KEPT, Captures, add_captures  # noqa: E402
from written_pages import WrittenPages  # noqa: E402

EXIT_IMPORT_FAILED = 3
EXIT_EPISODE_SETUP_FAILED = 4
TRACEBACK_CAP = 64 * 1024
VERSION_HEADER = "x-awm-db-version"
EPISODE_DIR = "/episode"
TEMPLATE_DB = "/instance/template.db"
FIRST_SLOT_FD = 3
PR_SET_PDEATHSIG = 1
MS_NOSUID, MS_NODEV, MS_RDONLY, MS_REMOUNT, MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 2, 4, 1, 32, 4096, 8192, 0x4000, 1 << 18

libc = sandbox_process.libc


def main():
    args = parse_arguments()
    refuse_audit_hooks()
    die_with_parent()
    sandbox_process.make_untraceable()
    import pydantic_compat

    pydantic_compat.install()
    preload_server()
    listeners = list(range(FIRST_SLOT_FD, FIRST_SLOT_FD + args.slots))
    pipes = list(range(FIRST_SLOT_FD + args.slots, FIRST_SLOT_FD + 2 * args.slots))
    control_in, control_out = sandbox_process.take_channels(unbuffered_requests=True)

    namespaces = not args.fresh
    db_path = prepare_database(args.seed, EPISODE_DIR if namespaces else os.getcwd())
    os.environ["DATABASE_PATH"] = "sqlite:///" + db_path
    app, why_not = None, args.not_forkable or "--fresh: each episode imports the code itself"
    if namespaces and args.not_forkable is None:
        at_fork = at_fork_hook_lists()
        before = open_fds(), shared_writable_memory(), hooks(at_fork)
        app = import_app(args.code)
        gc.collect()  # finalizers of the import's garbage run now, before the checks, not between forks
        found, left = sandbox_process.end_other_processes()
        if left:
            sys.exit(f"the code left {left} processes running after its import that could not be ended")
        why_not = f"the code left {found} processes running after its import (ended)" if found else forkable(*before, at_fork)
        if why_not:
            # The studio starts a new sandbox whose host never imports the code (--not-forkable): none
            # of what the import left (threads, timers, environment, mounts) goes along.
            answer(control_out, {"import_left": why_not})
            os._exit(0)
        backup(db_path, TEMPLATE_DB)
        gc.freeze()  # the imported objects stay in pages the forks share instead of copying them
    answer(control_out, {"ready": True, "forkable": why_not is None, "why": why_not})
    episode = Episode(args, app if why_not is None else None, db_path, namespaces)
    # Only forks of the imported app, each in namespaces of its own, learn (see written_pages.py).
    written_pages = WrittenPages() if episode.config and namespaces else None
    serve_requests(control_in, control_out, listeners, pipes, episode, written_pages)


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", required=True)
    parser.add_argument("--seed", required=True)
    parser.add_argument("--slots", type=int, required=True)
    parser.add_argument("--disk-bytes", type=int, default=256 * 1024 * 1024)
    parser.add_argument("--tmp-bytes", type=int, default=64 * 1024 * 1024)
    # The studio's cap on one answer: a capture holds no more of an answer than the studio would read.
    parser.add_argument("--answer-bytes", type=int, default=16 * 1024 * 1024)
    parser.add_argument("--fresh", action="store_true")
    # Set by the studio when an earlier host's import left what forks would share: why. This host
    # never imports the code; each episode does.
    parser.add_argument("--not-forkable")
    return parser.parse_args()


def die_with_parent():
    """Unsandboxed there is no bwrap to take this process along when the studio goes."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def preload_server():
    """What every episode uses, imported once here instead of in each."""
    import fastapi  # noqa: F401
    import sqlalchemy  # noqa: F401
    import uvicorn.lifespan.on  # noqa: F401
    import uvicorn.loops.asyncio  # noqa: F401
    import uvicorn.protocols.http.h11_impl  # noqa: F401
    import anyio._backends._asyncio  # noqa: F401 - loaded by the first sync handler's thread otherwise
    import episode_server  # noqa: F401


def prepare_database(seed_path, folder):
    os.makedirs(folder, exist_ok=True)
    db_path = os.path.join(folder, "state.db")
    shutil.copyfile(seed_path, db_path)
    return db_path


def import_app(code_path):
    try:
        module = load_environment(code_path)
        app = module.__dict__.get("app")
        if app is None or not hasattr(app, "add_api_route"):
            raise RuntimeError(f"{code_path} defines no FastAPI `app`")
        add_hidden_routes(app)
        add_traceback_answers(app, code_path)
        add_captures(app, lambda scope: scope["app"].state.awm_captures)
        app.openapi()  # cached on the app: no episode builds it again
        warm_database_layer()
        return app
    except BaseException:  # noqa: BLE001 - any failure of the environment code is reported, then we exit
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(EXIT_IMPORT_FAILED)


def refuse_audit_hooks():
    """No audit hook of the environment's code is ever added. One added at import would run in this
    host at every fork (os.fork is an audited event) and at whatever else it audits, copying what
    it sees into every later episode's memory; unlike the other hooks an import can leave, audit
    hooks cannot be listed or removed, only refused as they are added (PEP 578)."""

    def refuse(event, _args):
        if event == "sys.addaudithook":
            raise RuntimeError("refused")  # the interpreter drops the new hook and this exception

    sys.addaudithook(refuse)


def load_environment(code_path):
    with open(code_path, encoding="utf-8") as source:
        code = compile(source.read(), code_path, "exec")
    module = types.ModuleType("awm_env")
    module.__file__ = code_path
    # Registered before running so pydantic / dataclasses can resolve the module by name.
    sys.modules["awm_env"] = module
    exec(code, module.__dict__)
    return module


def warm_database_layer():
    """What SQLAlchemy does lazily on an episode's first query, done once here for every fork: the
    ORM mappers configured, each engine's dialect initialized by one connection, the compiler and
    loading machinery built (warm_sqlalchemy). Then every engine's pool is emptied: a fork must not
    inherit a connection."""
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    warm_sqlalchemy()
    for value in gc.get_objects():
        if isinstance(value, Engine):
            try:
                value.connect().close()
            finally:
                value.dispose()


def forkable(fds_before_import, shared_before_import, hooks_before_import, at_fork):
    """Why forks of this process would share something between episodes (a thread, an open file, a
    socket, an event loop or shared memory left by the import, or a hook that would run the code in
    this process between forks), or None. Audit hooks cannot be listed, so they are not seen."""
    others = [thread.name for thread in threading.enumerate() if thread is not threading.main_thread()]
    if others:
        return f"the code left threads running after its import ({', '.join(others)})"
    kept = open_fds().items() - fds_before_import.items()
    if kept:
        return f"the code keeps {', '.join(sorted(target for _, target in kept))} open after its import"
    shared = shared_writable_memory() - shared_before_import
    if shared:
        return f"the code keeps shared memory mapped after its import ({', '.join(sorted(shared))})"
    left = [name for name, hook in hooks(at_fork).items() if hook != hooks_before_import[name]]
    if left:
        return f"the code left {', '.join(left)} set after its import, which would run it in the host between episodes"
    return None


def hooks(at_fork):
    """What would run code in this process while it serves: trace and profile functions, the
    garbage collector's callbacks, the at-fork hooks (`at_fork`: at_fork_hook_lists()), signal
    handlers and the timers that would fire them, and exception hooks."""
    return {
        "a trace function": sys.gettrace(),
        "a profile function": sys.getprofile(),
        "a thread trace function": threading.gettrace(),
        "a thread profile function": threading.getprofile(),
        "a garbage-collector callback": tuple(gc.callbacks) or None,
        "an at-fork hook": tuple(tuple(id(hook) for hook in hooks) for hooks in at_fork),
        "a signal handler": tuple(signal.getsignal(number) for number in sorted(signal.valid_signals())),
        "a timer": tuple(signal.getitimer(which) != (0.0, 0.0) for which in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF)),
        "an exception hook": (sys.excepthook, sys.unraisablehook, threading.excepthook),
    }


def at_fork_hook_lists():
    """The interpreter's lists of at-fork hooks (before, after in the parent, after in the child),
    found through a marker registered in each: Python offers no other way to see them."""

    def marker():
        pass

    os.register_at_fork(before=marker, after_in_parent=marker, after_in_child=marker)
    lists = [referrer for referrer in gc.get_referrers(marker) if isinstance(referrer, list) and marker in referrer]
    if len(lists) != 3:
        raise RuntimeError(f"this Python keeps its at-fork hooks where the host cannot see them ({len(lists)} lists found)")
    return lists


def shared_writable_memory():
    """This process's shared writable mappings, each as its address range and what it maps."""
    mappings = sandbox_process.memory_mappings()
    return {f"{start:x}-{end:x} {what or 'anonymous'}" for start, end, permissions, what in mappings if permissions[:2] == "rw" and permissions[3] == "s"}


def open_fds():
    """This process's descriptors and what each names."""
    listing = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    found = {}
    try:
        for name in os.listdir(listing):
            try:
                if int(name) != listing:
                    found[int(name)] = os.readlink(name, dir_fd=listing)
            except OSError:
                continue  # closed while we looked
    finally:
        os.close(listing)
    return found


def warm_sqlalchemy():
    """SQLAlchemy builds much of its compiler and ORM machinery on first use, per process: one
    round of the usual work on a throwaway in-memory database, here, spares every episode that."""
    from sqlalchemy import Column, ForeignKey, Integer, String, create_engine, func
    from sqlalchemy.orm import declarative_base, relationship, sessionmaker

    Base = declarative_base()

    class Owner(Base):
        __tablename__ = "owner"
        id = Column(Integer, primary_key=True)
        name = Column(String, nullable=False)
        items = relationship("Item", back_populates="owner")

    class Item(Base):
        __tablename__ = "item"
        id = Column(Integer, primary_key=True)
        owner_id = Column(Integer, ForeignKey("owner.id"))
        label = Column(String)
        owner = relationship("Owner", back_populates="items")

    engine = create_engine("sqlite://", connect_args={"check_same_thread": False})
    Base.metadata.create_all(bind=engine)
    session = sessionmaker(bind=engine, autocommit=False, autoflush=False)()
    try:
        owner = Owner(name="warm")
        session.add(owner)
        session.add(Item(owner=owner, label="up"))
        session.commit()
        session.refresh(owner)
        session.query(Owner).filter(Owner.id == owner.id, Owner.name.like("w%")).order_by(Owner.id).limit(5).offset(0).all()
        session.query(Item).join(Owner).filter(Owner.name == "warm").first()
        session.query(func.count(Item.id)).scalar()
        item = session.query(Item).filter_by(label="up").one()
        item.label = "down"
        session.commit()
        session.delete(item)
        session.commit()
    finally:
        session.close()
        engine.dispose()


def backup(source_path, target_path):
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def serve_requests(control_in, control_out, listeners, pipes, episode, written_pages):
    """Spawns and kills episodes as asked; reports the ones that end by themselves. With
    `written_pages` (forks of an imported app in their own namespaces), forks copy up front the
    pages the first ones wrote."""
    children = {}  # slot -> pid
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    pending = b""
    while True:
        ready, _, _ = select.select([control_in, wake_read], [], [])
        if wake_read in ready:
            os.read(wake_read, 4096)
            for pid in reap(children, control_out):
                if written_pages:
                    written_pages.ended(pid)
        if control_in not in ready:
            continue
        chunk = control_in.read(65536)
        if not chunk:
            return  # the studio closed the channel: this host is done
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            request = json.loads(line)
            slot = int(request["slot"])
            ended = children.pop(slot, None)
            kill(ended)
            if written_pages and ended:
                written_pages.ended(ended)
            if request["op"] == "kill":
                answer(control_out, {"killed": slot})
            elif request["op"] == "spawn":
                report = written_pages.report_for_next_fork() if written_pages else None
                pid = os.fork()
                if pid == 0:
                    episode.run(listeners[slot], pipes[slot], listeners + pipes + [control_in.fileno(), control_out.fileno(), wake_read, wake_write], written_pages, report)
                set_own_group(pid)
                if written_pages:
                    written_pages.forked(pid, report)
                children[slot] = pid
                answer(control_out, {"spawned": slot, "pid": pid})


def reap(children, control_out):
    """Yields the pids of the forks that have ended."""
    for pid, status in sandbox_process.ended_children():
        yield pid
        slot = next((slot for slot, child in children.items() if child == pid), None)
        if slot is not None:
            del children[slot]
            answer(control_out, {"exited": slot, "status": describe_exit(status)})


def set_own_group(pid):
    """Also done in the fork: whichever runs first, the group exists before any kill (killpg) of it."""
    try:
        os.setpgid(pid, pid)
    except (PermissionError, ProcessLookupError):
        pass  # the fork is already gone


def kill(pid):
    """The fork and its process group. The fork itself by its pid too: its code may have moved it
    to another group (the host's, even), and the wait below must not outlive it."""
    if pid is None:
        return
    for send in (os.killpg, os.kill):
        try:
            send(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def describe_exit(status):
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exited with code {os.WEXITSTATUS(status)}"


def answer(control_out, message):
    control_out.write(json.dumps(message) + "\n")
    control_out.flush()


class Episode:
    """What runs in a forked child: never returns into the host's loop."""

    def __init__(self, args, app, db_path, namespaces):
        self.args = args
        self.config = server_config(app) if app else None
        self.db_path = db_path
        self.namespaces = namespaces

    def run(self, listener, pipe, inherited, written_pages, report):
        learner = None
        try:
            os.setpgid(0, 0)
            die_with_parent()
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            if written_pages:
                written_pages.in_fork()
            os.dup2(pipe, 1)
            os.dup2(pipe, 2)
            for fd in inherited:
                if fd not in (listener, pipe):
                    os.close(fd)
            if os.read(pipe, 1) != b"g":
                os._exit(EXIT_EPISODE_SETUP_FAILED)
            # In its own cgroup now. First of all, so that the setup below finds the learned pages copied.
            if written_pages:
                learner = written_pages.in_own_cgroup(report)
            os.close(pipe)
            if self.namespaces:
                enter_own_namespaces(self.args.disk_bytes, self.args.tmp_bytes)
                # An episode that imports the code itself starts from the seed, as the host did. The
                # template is a closed file only the host wrote: a plain copy is a consistent one.
                if self.config:
                    shutil.copyfile(TEMPLATE_DB, self.db_path)
                else:
                    backup(self.args.seed, self.db_path)
                hide_host_folder()
            else:
                self.db_path = prepare_database(self.args.seed, os.path.join(os.getcwd(), f"episode-{os.getpid()}"))
                os.environ["DATABASE_PATH"] = "sqlite:///" + self.db_path
            sandbox_process.drop_privileges()
            sandbox_process.make_untraceable()
            # Same user as the host and the other episodes: without this it could signal them all.
            unscoped = sandbox_process.keep_signals_within()
            if unscoped:
                print(f"this episode can signal the host and the other episodes: {unscoped}", file=sys.stderr)
        except BaseException:  # noqa: BLE001 - the episode never serves; the studio reads why in its pipe
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(EXIT_EPISODE_SETUP_FAILED)
        serve(self.config or server_config(import_app(self.args.code)), listener, self.db_path, learner, self.args.answer_bytes)


def enter_own_namespaces(disk_bytes, tmp_bytes):
    """A user, mount, network and IPC namespace of the episode's own: fresh tmpfs at /episode, /tmp
    and /dev/shm, an empty /dev/pts (the host's terminals are every episode's), of /proc only its
    own entry, the rest read-only (the sandbox's root and /dev are already); no loopback, no
    abstract unix socket and no System V or POSIX IPC object shared with the other episodes (it
    serves on the listening socket it was given, which stays the host's)."""
    sandbox_process.enter_own_namespaces(sandbox_process.CLONE_NEWNS | sandbox_process.CLONE_NEWNET | sandbox_process.CLONE_NEWIPC)
    check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make mounts private")
    shared = [("/dev/shm", tmp_bytes)] if os.path.isdir("/dev/shm") else []
    for folder, size in ((EPISODE_DIR, disk_bytes), ("/tmp", tmp_bytes), *shared):
        check(libc.mount(b"tmpfs", folder.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode=0700".encode()), f"mount {folder}")
    if os.path.isdir("/dev/pts"):
        mount_empty("/dev/pts")
    show_only_own_process()
    os.chdir(EPISODE_DIR)


def show_only_own_process():
    """/proc shows every process of the host's pid namespace, the other live episodes included, whose
    names and command lines anyone may read (a channel between episodes): here it shows this one's
    own entry, as /proc/self, and nothing else. The entry waits in /episode (empty, this episode's
    own, no code has run here yet) while an empty /proc is put in place."""
    waiting = os.path.join(EPISODE_DIR, ".proc-self")
    os.mkdir(waiting)
    check(libc.mount(f"/proc/{os.getpid()}".encode(), waiting.encode(), None, MS_BIND, None), "take /proc's own entry")
    check(libc.mount(b"tmpfs", b"/proc", b"tmpfs", MS_NOSUID | MS_NODEV, b"size=4096,mode=0555"), "cover /proc")
    os.mkdir("/proc/self")
    check(libc.mount(waiting.encode(), b"/proc/self", None, MS_MOVE, None), "put the own entry at /proc/self")
    os.rmdir(waiting)
    check(libc.mount(None, b"/proc", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, None), "make /proc read-only")


def hide_host_folder():
    """The host's own folder (its template database, and whatever the code's import put there: a
    socket, a named pipe) is the one folder the host can write that episodes would see: once the
    episode has its copy of the template, an empty folder takes its place."""
    mount_empty("/instance")


def mount_empty(folder):
    check(libc.mount(b"tmpfs", folder.encode(), b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, b"size=4096,mode=0500"), f"mount an empty {folder}")


def check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def server_config(app):
    """uvicorn's configuration, loaded (protocol classes imported, app wrapped) once for every episode."""
    import uvicorn

    # Each named outright: "auto" would look for uvloop, httptools and websockets again in every fork.
    # The studio is the episode's only client and keeps one connection to it: closed after uvicorn's 5 s of idleness, a call sent
    # as it closed failed (EPIPE) whenever a playtester or a held-back call paused that long; an idle episode stops long before a day.
    config = uvicorn.Config(app, fd=-1, log_level="warning", access_log=False, lifespan="on", loop="asyncio", http="h11", ws="none", timeout_keep_alive=86400)
    config.load()
    return config


def serve(config, listener, db_path, learner, answer_bytes):
    from episode_server import EpisodeServer

    config.app.state.awm_database = EpisodeDatabase(db_path)
    config.app.state.awm_database.warm()
    config.app.state.awm_learner = learner
    config.app.state.awm_captures = Captures(config.app.state.awm_database, learner, answer_bytes)
    config.fd = listener
    EpisodeServer(config).run()
    os._exit(0)


def add_hidden_routes(app):
    """GET /__awm/ready (the episode serves) and GET /__awm/snapshot, before any route of the environment."""
    from starlette.requests import Request
    from starlette.responses import Response

    async def ready():
        return {"ready": True}

    async def snapshot(request: Request):
        since = request.query_params.get("since")
        name = request.query_params.get("capture")
        if name is not None:
            return captured(request.app.state.awm_captures, name, since)
        database = request.app.state.awm_database
        # Read before the copy: a commit while it runs makes the next version differ, never the reverse.
        version = database.version()
        if since == version:
            return Response(status_code=204, headers={VERSION_HEADER: version})
        data = database.copy()
        if request.app.state.awm_learner:
            request.app.state.awm_learner.write_report()  # as at each capture (captures.py)
        return Response(content=data, media_type="application/vnd.sqlite3", headers={VERSION_HEADER: version})

    def captured(captures, name, since):
        taken = captures.take(name)
        if taken is None:
            return Response(status_code=404, content=f"no capture named {name!r} (each is fetched once; {KEPT} are kept)")
        version, data = taken
        if since == version:
            return Response(status_code=204, headers={VERSION_HEADER: version})
        if data is None:
            return Response(status_code=409, content=f"capture {name!r} was not copied: the database was still at version {version}, which the call said the studio held, not {since}")
        return Response(content=data, media_type="application/vnd.sqlite3", headers={VERSION_HEADER: version})

    for path, endpoint in (("/__awm/ready", ready), ("/__awm/snapshot", snapshot)):
        app.add_api_route(path, endpoint, methods=["GET"], include_in_schema=False)
        # First in line, so no catch-all route of the environment can shadow it.
        app.router.routes.insert(0, app.router.routes.pop())


class EpisodeDatabase:
    """
    The episode's database as snapshots read it: a read-only connection, and a version naming its
    state, so a snapshot can be skipped when nothing changed. The version is the connection's
    `PRAGMA data_version`, which changes whenever any other connection commits, and a random prefix
    drawn in this process, so no other episode's version can match. While the file keeps its inode,
    size and modification time the connection is kept; once any of them changes (a commit in
    rollback-journal mode, a checkpoint, or code that replaced or overwrote the file behind SQLite)
    a new connection is opened, with a new version, so nothing it cached can be served stale.
    """

    def __init__(self, path):
        self.path = path
        self.prefix = os.urandom(8).hex()
        self.connection = None
        self.file = None
        self.opened = 0

    def warm(self):
        """Runs what a snapshot runs, before the episode serves: a fork's first connection opened
        and closed and its first copy cost some 4 ms in page faults, which a spare pays while it
        waits instead of the agent's first step. The copy is of a one-table database, whatever
        the size of the episode's."""
        for _ in range(2):
            self.file = None
            self.version()
        self.connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        tiny = sqlite3.connect(":memory:")
        try:
            tiny.execute("CREATE TABLE warm (x)")
            copy(tiny)
        finally:
            tiny.close()

    def copy(self):
        """The database as one SQLite file, read through the connection version() last opened."""
        return copy(self.connection)

    def version(self):
        status = os.stat(self.path)
        file = (status.st_ino, status.st_size, status.st_mtime_ns)
        if self.connection is None or file != self.file:
            if self.connection is not None:
                self.connection.close()
            self.connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self.file = file
            self.opened += 1
        (data_version,) = self.connection.execute("PRAGMA data_version").fetchone()
        return f"{self.prefix}.{self.opened}.{data_version}"


def copy(connection):
    """The database of `connection` as one SQLite file (rollback-journal mode: it needs no -wal beside it)."""
    target = sqlite3.connect(":memory:")
    try:
        connection.backup(target)
        data = bytearray(target.serialize()) if target.execute("PRAGMA page_count").fetchone()[0] else bytearray()
    finally:
        target.close()
    if data:
        data[18:20] = b"\x01\x01"
    return bytes(data)


def add_traceback_answers(app, code_path):
    if any(key in (500, Exception) for key in app.exception_handlers):
        return
    from starlette.responses import JSONResponse

    class TracebackAnswers:
        """Outermost of the app's middleware: outside the environment's own, inside Starlette's last resort."""

        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            if scope["type"] != "http":
                await self.app(scope, receive, send)
                return
            started = False

            async def watched_send(message):
                nonlocal started
                started = started or message["type"] == "http.response.start"
                await send(message)

            try:
                await self.app(scope, receive, watched_send)
            except Exception as error:  # noqa: BLE001 - what the code left unhandled is answered, with its traceback
                if started:
                    raise  # part of the answer is out: nothing sound can follow, uvicorn closes the connection
                text = environment_traceback(error, code_path)
                print(text, file=sys.stderr, flush=True)
                body = {"detail": "Internal Server Error", "traceback": text[-TRACEBACK_CAP:], "traceback_length": len(text)}
                await JSONResponse(body, status_code=500)(scope, receive, send)

    app.add_middleware(TracebackAnswers)


def environment_traceback(error, code_path):
    """
    The traceback of `error`, each exception of its chain from its first frame in the environment's
    code on (whole when it has none); chained exceptions of the framework alone (e.g. the
    EndOfStream behind an exception re-raised by an `http` middleware) are left out.
    """
    report = traceback.TracebackException.from_exception(error)
    link = report
    while link is not None:
        ours = [frame.filename == code_path for frame in link.stack]
        if True in ours:
            link.stack = traceback.StackSummary.from_list(link.stack[ours.index(True):])
        for name in ("__cause__", "__context__"):
            chained = getattr(link, name)
            if chained is not None and not any(frame.filename == code_path for frame in chained.stack):
                setattr(link, name, None)
        link = link.__cause__ or link.__context__
    # Lone surrogates (bytes decoded with surrogateescape) would make the JSON answer unencodable.
    return "".join(report.format()).rstrip().encode("utf-8", "backslashreplace").decode("utf-8")


if __name__ == "__main__":
    main()
