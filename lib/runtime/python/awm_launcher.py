"""Serves one AWM environment (a generated FastAPI file) on a Unix socket, inside its sandbox.

Usage: awm_launcher.py --code env.py --seed seed.db --workdir DIR --socket-fd 3

The studio binds the listening socket in a folder only it can write and hands it over as a file
descriptor, so the code never chooses what the studio connects to. The working database is
DIR/db/state.db, a copy of the (read-only) seed; DIR is a private, size-limited tmpfs in the sandbox.

The pydantic compatibility layer is installed before the environment code runs (the sandbox,
lib/runtime/sandbox.ts, sets the memory limit). The code is executed as module "awm_env", not
"__main__", so its own `uvicorn.run(...)` under `if __name__ == "__main__":` does not fire; its `app` is served here.

Reset (POST /__awm/reset, hidden from the OpenAPI schema) restores the seed state in place with
SQLite's online backup API (seed.db -> state.db) after disposing the engine pools: no process
restart, no file swapped under open connections, and a few milliseconds for AWM-sized databases.
When the code changed the schema as it started (tables made by create_all), the state right after
start-up is kept beside state.db and restored instead, as a fresh process would start.

Snapshot (GET /__awm/snapshot, hidden too) answers a consistent copy of the working database as
bytes: the studio never opens a file this code could have replaced with a link.

An exception the code does not handle is answered as HTTP 500 with JSON {"detail": "Internal Server
Error", "traceback": ..., "traceback_length": ...}: the traceback from the environment's first frame on,
its innermost TRACEBACK_CAP characters when longer, and its full length. It is still logged to stderr,
and the connection stays open (uvicorn drops it after an exception that reaches it). An environment
that installs its own handler for 500 or Exception keeps it.
"""

import argparse
import gc
import os
import shutil
import sqlite3
import sys
import threading
import time
import traceback
import types

EXIT_IMPORT_FAILED = 3
EXIT_PARENT_GONE = 70
TRACEBACK_CAP = 64 * 1024


def main():
    args = parse_arguments()
    watch_parent()

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import pydantic_compat

    pydantic_compat.install()
    db_path = prepare_state(args.workdir, args.seed)
    os.environ["DATABASE_PATH"] = "sqlite:///" + db_path

    try:
        module = load_environment(args.code)
        app = module.__dict__.get("app")
        if app is None or not hasattr(app, "add_api_route"):
            raise RuntimeError(f"{args.code} defines no FastAPI `app`")
    except BaseException:  # noqa: BLE001 - any failure of the environment code is reported, then we exit
        traceback.print_exc()
        sys.stderr.flush()
        sys.exit(EXIT_IMPORT_FAILED)

    add_reset_route(app, module, db_path, os.path.abspath(args.seed))
    add_snapshot_route(app, db_path)
    add_traceback_answers(app, args.code)

    import uvicorn

    uvicorn.run(app, fd=args.socket_fd, log_level="warning", access_log=False)


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", required=True)
    parser.add_argument("--seed", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--socket-fd", type=int, required=True)
    return parser.parse_args()


def prepare_state(workdir, seed_path):
    db_dir = os.path.join(os.path.abspath(workdir), "db")
    os.makedirs(db_dir, exist_ok=True)
    db_path = os.path.join(db_dir, "state.db")
    shutil.copyfile(seed_path, db_path)
    return db_path


def load_environment(code_path):
    with open(code_path, encoding="utf-8") as source:
        code = compile(source.read(), code_path, "exec")
    module = types.ModuleType("awm_env")
    module.__file__ = code_path
    # Registered before running so pydantic / dataclasses can resolve the module by name.
    sys.modules["awm_env"] = module
    exec(code, module.__dict__)
    return module


def add_reset_route(app, module, db_path, seed_path):
    from sqlalchemy.engine import Engine

    engines = [value for value in vars(module).values() if isinstance(value, Engine)]
    # What a reset restores: the seed, or the state right after start-up when the code changed the
    # schema while starting (create_all), as a fresh process of the same code would begin.
    image = {"uri": f"file:{seed_path}?mode=ro&immutable=1"}

    def capture_start_up_state():
        if schema_version(f"file:{db_path}?mode=ro") == schema_version(image["uri"]):
            return
        start_up = os.path.join(os.path.dirname(db_path), "start-up.db")
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        target = sqlite3.connect(start_up)
        try:
            source.backup(target)
            kept = True
        except sqlite3.Error as error:  # e.g. the instance's disk is full: resets keep restoring the seed
            print(f"awm launcher: cannot keep the start-up state, resets restore the seed: {error}", file=sys.stderr)
            kept = False
        finally:
            target.close()
            source.close()
        if kept:
            image["uri"] = f"file:{start_up}?mode=ro"
        else:
            os.remove(start_up)

    def restore_seed():
        for engine in engines:
            engine.dispose()
        source = sqlite3.connect(image["uri"], uri=True)
        target = sqlite3.connect(db_path, timeout=2)
        # The working copy needs no durability (a crash is answered by another reset): skip fsync.
        target.execute("PRAGMA synchronous = OFF")
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()

    # async: runs on the event loop directly instead of hopping to the thread pool (a few ms less).
    async def reset():
        started = time.perf_counter()
        try:
            restore_seed()
        except sqlite3.OperationalError:
            # A handler that raised may have leaked a session that still holds a lock; collecting it
            # returns the connection to its pool, which the retry then disposes.
            gc.collect()
            restore_seed()
        return {"reset": True, "ms": round((time.perf_counter() - started) * 1000, 3)}

    # After the environment's own start-up handlers, which may create tables too.
    app.router.on_startup.append(capture_start_up_state)
    app.add_api_route("/__awm/reset", reset, methods=["POST"], include_in_schema=False)
    # First in line, so no catch-all route of the environment can shadow it.
    app.router.routes.insert(0, app.router.routes.pop())


def schema_version(uri):
    connection = sqlite3.connect(uri, uri=True)
    try:
        return connection.execute("PRAGMA schema_version").fetchone()[0]
    finally:
        connection.close()


def add_snapshot_route(app, db_path):
    from starlette.responses import Response

    async def snapshot():
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        copy = sqlite3.connect(":memory:")
        try:
            source.backup(copy)
            data = bytearray(copy.serialize()) if copy.execute("PRAGMA page_count").fetchone()[0] else bytearray()
            if data:
                data[18:20] = b"\x01\x01"  # a plain rollback-journal file: the copy needs no -wal beside it
            return Response(content=bytes(data), media_type="application/vnd.sqlite3")
        finally:
            copy.close()
            source.close()

    app.add_api_route("/__awm/snapshot", snapshot, methods=["GET"], include_in_schema=False)
    app.router.routes.insert(0, app.router.routes.pop())


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


def watch_parent():
    """Exit when the studio process that started us is gone (the unsandboxed case has no bwrap to do it)."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(EXIT_PARENT_GONE)

    threading.Thread(target=watch, name="awm-parent-watch", daemon=True).start()


if __name__ == "__main__":
    main()
