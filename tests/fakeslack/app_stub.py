"""A stand-in *app* for testing the fake's client: it checks each request's signature with
slack_sdk's SignatureVerifier, keeps what it received, and answers what a test tells it to."""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

SECRET = "test-signing-secret"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode()).items()}

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.form["payload"])

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


Answer = Callable[[Received], tuple[int, Any]]


class AppStub:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answer: Answer = lambda _: (200, "")
        verifier = SignatureVerifier(SECRET)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                got = Received(headers, body, verifier.is_valid_request(body, headers))
                stub.received.append(got)
                status, answer = stub.answer(got) if got.verified else (401, "invalid signature")
                data = answer if isinstance(answer, str) else json.dumps(answer)
                self.send_response(status)
                kind = "text/plain" if isinstance(answer, str) else "application/json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data.encode())))
                self.end_headers()
                self.wfile.write(data.encode())

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/slack/events"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
