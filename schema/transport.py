"""What the server asks of a connection before a request reaches the API.

- ``TimedH11Protocol``: uvicorn's HTTP/1.1 protocol with a deadline for a request's head: a
  client that opens a connection and sends its headers slowly (or never) is cut off after
  ``HEAD_TIMEOUT`` seconds instead of holding the connection for ever.
- ``GuardBody``: ASGI middleware for the GraphQL route. A POST body is read whole before the
  API sees it, within ``BODY_TIMEOUT`` seconds and ``max_bytes``, and must be one JSON object
  (or a form for file uploads); anything else is answered 400, 408 or 413 with a JSON message,
  never a 500.
- ``allowed_hosts``: the ``Host`` names a server answers to. A server on localhost answers to
  localhost names only, so a web page whose own name resolves to 127.0.0.1 (DNS rebinding)
  cannot reach it.
"""
from __future__ import annotations

import asyncio
import json
from typing import Awaitable, Callable, Iterable

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT = 10.0  # seconds from connecting (or the last response) to a request's headers
BODY_TIMEOUT = 30.0  # seconds to receive a request's body
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head has not arrived within
    ``head_timeout`` seconds of the connection or of the last response."""

    _head_timer: asyncio.TimerHandle | None = None
    head_timeout: float = HEAD_TIMEOUT

    @classmethod
    def with_timeout(cls, seconds: float) -> type["TimedH11Protocol"]:
        """This protocol with another deadline for a request's head."""
        return type(cls.__name__, (cls,), {"head_timeout": seconds})

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # the head is in
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.head_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _too_slow(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> list[str]:
    """The Host names a server bound to ``host`` answers to: localhost names, the address it
    is bound to, and ``extra``; any name on a server bound to every interface with no extra
    names given (it needs an API key for mutations, see ``schema.app.Access``).

    >>> allowed_hosts("127.0.0.1")
    ['127.0.0.1', 'localhost', '::1', '[::1]']
    >>> allowed_hosts("0.0.0.0")
    ['*']
    >>> allowed_hosts("0.0.0.0", ["graph.example.org"])
    ['127.0.0.1', 'localhost', '::1', '[::1]', 'graph.example.org']
    """
    extra = list(extra)
    if host in ("0.0.0.0", "::", "") and not extra:
        return ["*"]
    names = [*LOCAL_NAMES, *([] if host in ("0.0.0.0", "::", *LOCAL_NAMES) else [host])]
    return names + [e for e in extra if e not in names]


class GuardBody:
    """``app`` behind a check of POST bodies: read within ``timeout`` s, at most
    ``max_bytes``, one JSON object when sent as JSON; then replayed to ``app`` as received."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float = BODY_TIMEOUT) -> None:
        self.app, self.max_bytes, self.timeout = app, max_bytes, timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app, timeout, max_bytes = self.app, self.timeout, self.max_bytes
        if scope["type"] != "http" or scope["method"] != "POST":
            return await app(scope, receive, send)
        try:
            body = await asyncio.wait_for(_read(receive, max_bytes), timeout)
        except asyncio.TimeoutError:
            return await _refuse(send, 408, f"the request body did not arrive within "
                                            f"{timeout:g} s")
        except _TooLarge:
            return await _refuse(send, 413, f"the request body is larger than "
                                            f"{max_bytes:,} bytes")
        except _Gone:
            return None
        content_type = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1")
        if content_type.split(";")[0].strip().lower() == "application/json":
            problem = _not_an_object(body)
            if problem:
                return await _refuse(send, 400, problem)
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await app(scope, replay, send)


class _TooLarge(Exception):
    pass


class _Gone(Exception):
    pass


async def _read(receive: Receive, max_bytes: int) -> bytes:
    parts, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Gone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            raise _TooLarge
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


def _not_an_object(body: bytes) -> str | None:
    """Why ``body`` is not a GraphQL request in JSON, or None if it is one object.

    >>> _not_an_object(b'{"query": "{ stats { entities } }"}') is None
    True
    >>> _not_an_object(b'"just a string"')
    'the request body must be a JSON object, not a str'
    >>> _not_an_object(b"[" * 100000 + b"]" * 100000)
    'the request body is not valid JSON (nested too deep)'
    """
    try:
        data = json.loads(body)
    except RecursionError:
        return "the request body is not valid JSON (nested too deep)"
    except (ValueError, UnicodeDecodeError) as exc:
        return f"the request body is not valid JSON ({str(exc)[:80]})"
    if not isinstance(data, dict):
        return f"the request body must be a JSON object, not a {type(data).__name__}"
    return None


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"errors": [{"message": message}]}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
