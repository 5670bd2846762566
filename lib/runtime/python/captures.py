"""The database as a call left it, copied before the call is answered, for the studio to fetch later.

A call the studio names in its X-AWM-Capture header (an agent's tool call) runs to its end, its
background tasks included, before any of its answer is sent; then the episode's database is copied
(unless nothing was committed since the last copy the studio was given) and the answer says at
which version, in X-AWM-Captured. The studio reads the copy with GET
/__awm/snapshot?capture=<name>&since=<version> while its next call may already run: the step's state
is pinned by the episode, not by the studio waiting for a snapshot before it calls again.
"""

import re
from collections import OrderedDict

CAPTURE_HEADER = b"x-awm-capture"
CAPTURED_HEADER = b"x-awm-captured"
NAME = re.compile(rb"[0-9a-f]{1,32}")
KEPT = 8  # copies not yet fetched; the studio fetches each before the one after it


class Captures:
    """The copies not yet fetched, by name, and the version of the last copy handed out."""

    def __init__(self, database, learner):
        self.database = database
        self.learner = learner  # a learning fork reports the pages it wrote at each copy (written_pages.py)
        self.kept = OrderedDict()  # name -> (version, bytes, or None when unchanged since the copy before)
        self.handed_out = None

    def take(self, name):
        """A copy by its name, once: (version, bytes or None), or None when there is none."""
        return self.kept.pop(name, None)

    def handed(self, version):
        """A snapshot of this version was sent: a capture at the same version copies nothing."""
        self.handed_out = version

    def capture(self, name):
        version = self.database.version()
        data = None if version == self.handed_out else self.database.copy()
        self.handed_out = version
        if data is not None and self.learner:
            self.learner.write_report()
        self.kept[name] = (version, data)
        while len(self.kept) > KEPT:
            self.kept.popitem(last=False)
        return version


def add_captures(app, captures_of):
    """Outermost of the app's middleware (add it last), so an answer made of an exception is held too."""

    class CaptureAnswers:
        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            name = capture_name(scope)
            if name is None:
                await self.app(scope, receive, send)
                return
            held = []

            async def hold(message):
                held.append(message)

            await self.app(scope, receive, hold)  # an exception goes on up, nothing of the answer sent
            version = captures_of(scope).capture(name)
            for message in held:
                if message["type"] == "http.response.start":
                    headers = [(key, value) for key, value in message.get("headers", []) if key.lower() != CAPTURED_HEADER]
                    message = {**message, "headers": [*headers, (CAPTURED_HEADER, version.encode("ascii"))]}
                await send(message)

    app.add_middleware(CaptureAnswers)


def capture_name(scope):
    if scope["type"] != "http":
        return None
    for key, value in scope.get("headers", []):
        if key.lower() == CAPTURE_HEADER:
            return value.decode("ascii") if NAME.fullmatch(value) else None
    return None
