"""The fake Slack's HTTP plumbing: a threading server on 127.0.0.1, requests parsed into
params the way Slack reads them (query string, form body or JSON body), and simple routes."""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def params(self) -> dict[str, Any]:
        """Query plus body, as Slack merges them; a JSON body keeps its types."""
        params: dict[str, Any] = dict(self.query)
        content_type = self.headers.get("content-type", "")
        if "application/json" in content_type and self.body:
            try:
                parsed = json.loads(self.body)
            except json.JSONDecodeError:
                parsed = None
            if isinstance(parsed, dict):
                params.update(parsed)
        elif self.body:
            params.update(form(self.body))
        return params


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering

    @classmethod
    def json(cls, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> "Reply":
        data = json.dumps(body).encode()
        return cls(
            status, data, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        )

    @classmethod
    def text(cls, body: str, status: int = 200) -> "Reply":
        return cls(status, body.encode(), {"Content-Type": "text/plain; charset=utf-8"})


RouteHandler = Callable[[Request], Reply]


def form(body: bytes) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}


class Server(ThreadingHTTPServer):
    daemon_threads = True  # a request the fake is delaying must not block stop()
    request_queue_size = 128  # socketserver's 5 drops concurrent clients' SYNs: 1 s stalls

    def __init__(self, host: str, port: int, dispatch: RouteHandler) -> None:
        self.dispatch = dispatch
        super().__init__((host, port), _Handler)

    def serve_in_background(self) -> threading.Thread:
        # A short poll interval makes stop() quick; the loop itself costs next to nothing.
        thread = threading.Thread(
            target=self.serve_forever, args=(0.05,), name="fake-slack", daemon=True
        )
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: Server

    def _serve(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            path=url.path,
            query=form(url.query.encode()),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        reply = self.server.dispatch(request)
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the call log is the record; stderr noise helps nobody
