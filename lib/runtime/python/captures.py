"""The database as a call left it, copied before the call is answered, for the studio to fetch later.

A call the studio names in its X-AWM-Capture header (an agent's tool call) runs to its end, its
background tasks included, before any of its answer is sent; then the episode's database is copied,
unless it is still at the version the studio says it holds (X-AWM-Capture-Since), and the answer
says at which version, in X-AWM-Captured. The studio reads the copy with GET
/__awm/snapshot?capture=<name>&since=<version> while its next call may already run: the step's state
is pinned by the episode, not by the studio waiting for a snapshot before it calls again.

An answer longer than the studio's cap on one answer (`hold_bytes`, which the studio passes) is not
held past it: it goes out as it comes, without a capture (the studio cuts it and takes a snapshot
instead), so holding never costs more memory than the studio would read. An exception once the answer is complete (a background task's) still
sends the answer, captured, and is raised after it, as uvicorn would have logged it.
"""

import re
from collections import OrderedDict

CAPTURE_HEADER = b"x-awm-capture"
SINCE_HEADER = b"x-awm-capture-since"
CAPTURED_HEADER = b"x-awm-captured"
NAME = re.compile(rb"[0-9a-f]{1,32}")
VERSION = re.compile(rb"[0-9a-f.]{1,64}")
KEPT = 8  # copies not yet fetched; the studio fetches each before the one after it


class Captures:
    """The copies not yet fetched, by name."""

    def __init__(self, database, learner, hold_bytes):
        self.database = database
        self.hold_bytes = hold_bytes
        self.learner = learner  # a learning fork reports the pages it wrote at each copy (written_pages.py)
        self.kept = OrderedDict()  # name -> (version, bytes, or None when still at the studio's version)

    def take(self, name):
        """A copy by its name, once: (version, bytes or None), or None when there is none."""
        return self.kept.pop(name, None)

    def capture(self, name, since):
        version = self.database.version()
        data = None if version == since else self.database.copy()
        self.kept[name] = (version, data)
        while len(self.kept) > KEPT:
            self.kept.popitem(last=False)
        if data is not None and self.learner:
            self.learner.write_report()
        return version


def add_captures(app, captures_of):
    """Outermost of the app's middleware (add it last), so an answer made of an exception is held too."""

    class CaptureAnswers:
        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            asked = capture_request(scope)
            if asked is None:
                await self.app(scope, receive, send)
                return
            held = Held(send, captures_of(scope).hold_bytes)
            try:
                await self.app(scope, receive, held.send)
            except Exception:
                # A complete answer still goes out, captured; else nothing was sent and Starlette answers 500.
                if held.holding and held.complete:
                    await held.release(captures_of(scope).capture(*asked))
                raise
            if held.holding:
                await held.release(captures_of(scope).capture(*asked))

    app.add_middleware(CaptureAnswers)


class Held:
    """An answer's messages, held until released with a version, or let through once over `limit` bytes."""

    def __init__(self, send, limit):
        self.downstream = send
        self.limit = limit
        self.messages = []
        self.bytes = 0
        self.holding = True
        self.complete = False

    async def send(self, message):
        if not self.holding:
            await self.downstream(message)
            return
        self.messages.append(message)
        if message["type"] == "http.response.body":
            self.bytes += len(message.get("body", b""))
            self.complete = not message.get("more_body", False)
        if self.bytes > self.limit:
            await self.release(None)  # sent without a capture; the rest follows as it comes

    async def release(self, version):
        messages, self.messages, self.holding = self.messages, [], False
        for message in messages:
            if message["type"] == "http.response.start":
                headers = [(key, value) for key, value in message.get("headers", []) if key.lower() != CAPTURED_HEADER]
                if version is not None:
                    headers.append((CAPTURED_HEADER, version.encode("ascii")))
                message = {**message, "headers": headers}
            await self.downstream(message)


def capture_request(scope):
    """(name, since) when the request asks for a capture, else None."""
    if scope["type"] != "http":
        return None
    headers = {key.lower(): value for key, value in scope.get("headers", [])}
    name, since = headers.get(CAPTURE_HEADER), headers.get(SINCE_HEADER)
    if name is None or not NAME.fullmatch(name):
        return None
    return name.decode("ascii"), since.decode("ascii") if since is not None and VERSION.fullmatch(since) else None
