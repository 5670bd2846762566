"""A long-lived seed-database worker: builds an environment's seed database from its schema DDL and
seed INSERTs (untrusted SQL) inside the sandbox, one forked process per build (forked_jobs.py).

Usage: seed_builder.py [--sandboxed]

Jobs: {"id", "output", "ddl": [sql], "inserts": [sql], "statement_seconds", "build_seconds",
"heap_bytes"}. The database is built in memory and written to "output" (the only writable folder).
SQLite itself refuses everything that reaches beyond that database: an authorizer denies ATTACH (also
how VACUUM opens its target), DETACH, load_extension() and the pragmas that would unlock the schema or
lift the memory cap; no database can be attached at all; extensions cannot be loaded. A progress
handler stops a statement that runs longer than statement_seconds, or past the build's own deadline.

An answer is {"id", "ok": true, "ddl_errors": [str|null], "insert_errors": [str|null], "tables":
[name], "rows": int, "duration_ms"}, errors in the order of the statements given.
"""

import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder out

import forked_jobs  # noqa: E402

# How often SQLite asks whether a statement may go on: one VM op can be costly (printf of millions of
# characters), and at every 10,000 a statement ran three times its limit; the check itself is a clock read.
PROGRESS_EVERY_OPS = 100
REFUSED_PRAGMAS = {
    "writable_schema": "it would let SQL rewrite the schema table itself",
    "hard_heap_limit": "it would lift the seed build's memory cap",
    "soft_heap_limit": "it would lift the seed build's memory cap",
    "temp_store_directory": "it would move temporary files outside the database",
    "data_store_directory": "it would move database files",
}


class Guard:
    """The authorizer and progress handler of one build, and why they last said no."""

    def __init__(self, statement_seconds, build_seconds):
        self.statement_seconds = statement_seconds
        self.build_seconds = build_seconds
        self.build_deadline = time.monotonic() + build_seconds
        self.statement_deadline = None
        self.refusal = None
        self.stopped = None

    def authorize(self, action, arg1, arg2, _database, _trigger):
        if action == sqlite3.SQLITE_ATTACH:
            return self.refuse(f"opening another database file ({arg1!r}) by ATTACH or VACUUM is refused")
        if action == sqlite3.SQLITE_DETACH:
            return self.refuse("DETACH is refused")
        if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in REFUSED_PRAGMAS:
            return self.refuse(f"PRAGMA {arg1.lower()} is refused: {REFUSED_PRAGMAS[arg1.lower()]}")
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() == "load_extension":
            return self.refuse("load_extension() is refused")
        return sqlite3.SQLITE_OK

    def refuse(self, reason):
        self.refusal = reason
        return sqlite3.SQLITE_DENY

    def progress(self):
        if self.statement_deadline is None or time.monotonic() < self.statement_deadline:
            return 0
        if time.monotonic() >= self.build_deadline:
            self.stopped = f"stopped: building the seed database took longer than its limit of {self.build_seconds:g} s"
        else:
            self.stopped = f"stopped: this statement ran longer than the limit of {self.statement_seconds:g} s for one seed statement"
        return 1

    def build_time_left(self):
        return time.monotonic() < self.build_deadline

    def arm(self, timed):
        self.refusal = None
        self.stopped = None
        self.statement_deadline = min(time.monotonic() + self.statement_seconds, self.build_deadline) if timed else None

    def explain(self, message):
        if self.stopped:
            return self.stopped
        if self.refusal:
            return f"{message}: {self.refusal} (seed SQL may only change its own database)"
        return message


class SeedError(Exception):
    pass


class Session:
    """Runs the build's statements on one connection. SQLite rolls back the whole open transaction
    when a writing statement is interrupted or runs out of memory; every statement since our BEGIN is
    journaled so that such a rollback is undone by running them again, and a stopped statement costs
    only itself."""

    def __init__(self, connection, guard):
        self.connection = connection
        self.guard = guard
        self.cursor = connection.cursor()
        self.journal = []

    def begin_if_needed(self):
        # The seed SQL may have ended our transaction (COMMIT; ROLLBACK;): start a new one.
        if not self.connection.in_transaction:
            self.connection.execute("BEGIN")
            self.journal = []

    def run(self, statement, timed=True):
        was_in_transaction = self.connection.in_transaction
        self.guard.arm(timed)
        try:
            # One step, as sqlite3_exec's first: it completes any INSERT/UPDATE/DDL (RETURNING
            # included) without copying a SELECT's rows into Python.
            self.cursor.execute(statement)
        except (sqlite3.Error, MemoryError) as error:
            forced = was_in_transaction and not self.connection.in_transaction and forced_rollback(error)
            # Python's sqlite3 turns SQLITE_NOMEM into a bare MemoryError.
            message = self.guard.explain("out of memory" if isinstance(error, MemoryError) else str(error))
            self.guard.arm(False)
            if forced:
                self.replay()
            else:
                self.note(statement)
            raise SeedError(message) from None
        self.guard.arm(False)
        self.note(statement)

    def note(self, statement):
        if self.connection.in_transaction:
            self.journal.append(statement)
        else:
            self.journal = []  # the seed SQL committed or rolled back itself

    def replay(self):
        self.connection.execute("BEGIN")
        for statement in self.journal:
            try:
                self.cursor.execute(statement)
            except (sqlite3.Error, MemoryError):
                pass  # it failed the first time too, with the same effect

    def try_run(self, statement):
        try:
            self.run(statement, timed=False)
        except SeedError as error:
            if "no such savepoint" not in str(error) and "no transaction" not in str(error):
                raise


def forced_rollback(error):
    """SQLite's own rollback of the whole transaction (interrupt, out of memory, full, I/O error)."""
    return isinstance(error, MemoryError) or (getattr(error, "sqlite_errorcode", 0) & 0xFF) in (7, 9, 10, 13)


def open_database(heap_bytes, guard):
    connection = sqlite3.connect(":memory:", isolation_level=None)
    if hasattr(connection, "enable_load_extension"):
        connection.enable_load_extension(False)
    connection.execute(f"PRAGMA hard_heap_limit = {int(heap_bytes)}")
    # AWM seeds through Python's sqlite3 with foreign keys off; so do we.
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    connection.set_authorizer(guard.authorize)
    connection.set_progress_handler(guard.progress, PROGRESS_EVERY_OPS)
    return connection


# Where a statement may end without SQLite's word: at most this many candidate ends are put to
# sqlite3.complete_statement (each call reads the whole statement so far) before the string is refused.
MAX_END_CHECKS = 64
SPACE = " \t\r\n\f"
WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")


class StatementSplitError(SeedError):
    """A string whose statements cannot be told apart within the checks allowed: its unit fails."""


def statements(sql):
    """The statements of one SQL string, split where SQLite itself sees a statement end: at a ';'
    outside strings, quoted names and comments, or for CREATE TRIGGER at the ';' after its body's
    END (sqlite3_complete's rule). One pass over the text; SQLite's complete_statement confirms each
    end found (a disagreement only costs another look, at most MAX_END_CHECKS per statement). A
    trailing incomplete part is kept, so it fails as SQLite would report it."""
    start = 0
    i = 0
    n = len(sql)
    words = []  # the statement's first words, upper case: is it a trigger?
    last = []  # its last two tokens: ';' and 'END' before a trigger's final ';'
    checks = 0
    while i < n:
        ch = sql[i]
        if ch in SPACE:
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            i = n if newline < 0 else newline + 1
        elif sql.startswith("/*", i):
            close = sql.find("*/", i + 2)
            i = n if close < 0 else close + 2
        elif ch in "'\"`[":
            i = quoted_end(sql, i)
            note_token(words, last, "'")
        elif ch == ";":
            if not is_trigger(words) or last[-2:] == [";", "END"]:
                checks += 1
                if sqlite3.complete_statement(sql[start:i + 1]):
                    yield sql[start:i + 1]
                    start, words, last, checks = i + 1, [], [], 0
                    i += 1
                    continue
                if checks >= MAX_END_CHECKS:
                    raise StatementSplitError(f"the statement starting at character {start} has no end SQLite agrees with after {MAX_END_CHECKS} candidates")
            note_token(words, last, ";")
            i += 1
        elif ch in WORD_CHARS or ord(ch) > 127:
            end = i + 1
            while end < n and (sql[end] in WORD_CHARS or ord(sql[end]) > 127):
                end += 1
            note_token(words, last, sql[i:end].upper())
            i = end
        else:
            note_token(words, last, ch)
            i += 1
    if sql[start:].strip():
        yield sql[start:]


def quoted_end(sql, i):
    """Just past the string or quoted name opening at i (a doubled quote is an escaped one); the end of
    the text when it never closes."""
    close = "]" if sql[i] == "[" else sql[i]
    j = i + 1
    while True:
        k = sql.find(close, j)
        if k < 0:
            return len(sql)
        if close != "]" and sql.startswith(close * 2, k):
            j = k + 2
            continue
        return k + 1


def note_token(words, last, token):
    if len(words) < 6:
        words.append(token)
    last.append(token)
    if len(last) > 2:
        del last[0]


def is_trigger(words):
    """CREATE [TEMP|TEMPORARY] TRIGGER, after an optional EXPLAIN [QUERY PLAN]."""
    rest = words[1:] if words[:1] == ["EXPLAIN"] else words
    if rest[:2] == ["QUERY", "PLAN"]:
        rest = rest[2:]
    return rest[:1] == ["CREATE"] and (rest[1:2] == ["TRIGGER"] or (rest[1:2] in (["TEMP"], ["TEMPORARY"]) and rest[2:3] == ["TRIGGER"]))


def run_unit(session, sql, keep_partial):
    """Runs one SQL string in its own savepoint. On failure a DDL string keeps the statements that ran
    before the error, as sqlite3's exec would; an INSERT string applies wholly or not at all."""
    if not session.guard.build_time_left():
        return f"not run: building the seed database reached its limit of {session.guard.build_seconds:g} s before this statement"
    session.begin_if_needed()
    session.run("SAVEPOINT unit", timed=False)
    error = None
    try:
        for statement in statements(sql):
            session.run(statement)
    except SeedError as failure:
        error = str(failure)
        if not keep_partial:
            session.try_run("ROLLBACK TO unit")
    session.try_run("RELEASE unit")
    return error


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def run_job(job):
    guard = Guard(float(job["statement_seconds"]), float(job["build_seconds"]))
    connection = open_database(job["heap_bytes"], guard)
    session = Session(connection, guard)
    try:
        ddl_errors = [run_unit(session, sql, keep_partial=True) for sql in job["ddl"]]
        insert_errors = [run_unit(session, sql, keep_partial=False) for sql in job["inserts"]]
        if connection.in_transaction:
            connection.execute("COMMIT")
        # Our own queries below may touch what the seed SQL made: they run without the time guard
        # but still under the authorizer and the heap limit.
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
        rows = sum(connection.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0] for table in tables)
        # SQLite cannot serialize a database without pages; an empty file is that database.
        empty = connection.execute("PRAGMA page_count").fetchone()[0] == 0
        write_image(b"" if empty else connection.serialize(), job["output"])
    finally:
        connection.close()
    return {"ok": True, "ddl_errors": ddl_errors, "insert_errors": insert_errors, "tables": tables, "rows": rows}


def write_image(image, output):
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(image)


if __name__ == "__main__":
    forked_jobs.serve(run_job, "seed build")
