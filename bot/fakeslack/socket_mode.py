"""Slack's side of Socket Mode: `apps.connections.open` hands the app the ws:// URL of a
local WebSocket server, which sends envelopes and collects the app's acks.

    sockets = SocketModeServer(fake)            # env SLACK_APP_TOKEN=sockets.app_token
    slack = SocketModeClient(sockets, fake)     # a SlackClient whose requests go as envelopes
    reply = slack.command("U1", "/perk", "budget")

`drop()` cuts the live connections without a close frame, as a network failure does.
"""

import json
import secrets
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from bot.fakeslack.client import SlackClient
from bot.fakeslack.httpd import Reply, Request
from bot.fakeslack.records import APP_ID, Call, Json
from bot.fakeslack.server import FakeSlack
from bot.fakeslack.signing import ACK_TIMEOUT, AppReply

OPEN = "apps.connections.open"


@dataclass
class Ack:
    envelope_id: str
    payload: Json | None  # what the app answered inside the ack, if anything
    elapsed: float


class SocketModeServer:
    def __init__(self, fake: FakeSlack, *, app_token: str | None = None) -> None:
        self.fake = fake
        self.app_token = app_token or f"xapp-1-{APP_ID}-{secrets.token_hex(8)}"
        self._cond = threading.Condition()
        self._live: list[ServerConnection] = []
        self._acks: dict[str, Ack] = {}
        self._sent_at: dict[str, float] = {}
        self.connections = 0  # WebSocket sessions opened so far
        self.stray_acks: list[Json] = []  # acks naming no envelope we sent: a bug in the app
        self._server: Server = serve(
            self._session, "127.0.0.1", 0, compression=None, ping_interval=None
        )
        threading.Thread(target=self._server.serve_forever, name="fake-socket", daemon=True).start()
        fake.add_route("POST", f"/api/{OPEN}", self._open)

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/"

    def close(self) -> None:
        self._server.shutdown()

    # -- the Web API method ---------------------------------------------------------------

    def _open(self, request: Request) -> Reply:
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        token = token or str(request.params().get("token") or "")
        if not token:
            body: Json = {"ok": False, "error": "not_authed"}
        elif token != self.app_token:
            body = {"ok": False, "error": "invalid_auth"}
        else:
            body = {"ok": True, "url": f"{self.ws_url}?ticket={uuid.uuid4()}&app_id={APP_ID}"}
        call = Call(OPEN, {}, self.fake.state.clock(), None, token, 200, body, {})
        self.fake.state.record_call(call)
        return Reply.json(body)

    # -- sessions -------------------------------------------------------------------------

    def _session(self, conn: ServerConnection) -> None:
        with self._cond:
            self._live.append(conn)
            self.connections += 1
            self._cond.notify_all()
        try:
            conn.send(json.dumps(_hello(len(self._live))))
            for raw in conn:
                self._receive(raw)
        except (ConnectionClosed, OSError):
            pass  # dropped or closed by the app
        finally:
            with self._cond:
                if conn in self._live:
                    self._live.remove(conn)
                self._cond.notify_all()

    def _receive(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            message = {"unparsed": str(raw)}
        with self._cond:
            envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
            if envelope_id not in self._sent_at or envelope_id in self._acks:
                self.stray_acks.append(message)
            else:
                elapsed = time.perf_counter() - self._sent_at[envelope_id]
                self._acks[envelope_id] = Ack(envelope_id, message.get("payload"), elapsed)
            self._cond.notify_all()

    def wait_connected(self, sessions: int = 1, timeout: float = 30.0) -> None:
        """Until `sessions` sessions were opened in all and one is live."""
        with self._cond:
            if not self._cond.wait_for(
                lambda: self.connections >= sessions and self._live, timeout
            ):
                raise TimeoutError(f"the app opened {self.connections} of {sessions} sessions")

    def drop(self, *, clean: bool = False) -> None:
        """Cut every live connection with no close frame, like a network failure; or, with
        `clean`, close it as Slack does when one of its servers goes away."""
        with self._cond:
            live, self._live = self._live, []
        for conn in live:
            if clean:
                conn.close(1001, "going away")
            else:
                conn.socket.shutdown(socket.SHUT_RDWR)  # FIN now, even with a reader blocked
                conn.socket.close()

    # -- envelopes ------------------------------------------------------------------------

    def send(
        self,
        kind: str,
        payload: Json,
        *,
        accepts_response_payload: bool = False,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = ACK_TIMEOUT,
    ) -> Ack | None:
        """One envelope to the newest live session; the app's ack, or None if none came."""
        envelope_id = str(uuid.uuid4())
        envelope: Json = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": retry_reason}
        with self._cond:
            if not self._cond.wait_for(lambda: self._live, timeout):
                raise ConnectionError("no Socket Mode session is open")
            conn = self._live[-1]
            self._sent_at[envelope_id] = time.perf_counter()
        conn.send(json.dumps(envelope))
        with self._cond:
            self._cond.wait_for(lambda: envelope_id in self._acks, timeout)
            return self._acks.get(envelope_id)


def _hello(connections: int) -> Json:
    return {
        "type": "hello",
        "num_connections": connections,
        "debug_info": {"host": "fake-slack", "approximate_connection_time": 18060},
        "connection_info": {"app_id": APP_ID},
    }


class SocketModeClient(SlackClient):
    """A SlackClient whose requests travel as Socket Mode envelopes instead of signed POSTs."""

    def __init__(self, sockets: SocketModeServer, fake: FakeSlack, team_id: str | None = None):
        super().__init__("socket-mode://", "unused", fake, team_id)
        self.sockets = sockets

    def send(self, body: bytes, content_type: str) -> AppReply:
        kind, payload, accepts = envelope_of(body, content_type)
        ack = self.sockets.send(
            kind,
            payload,
            accepts_response_payload=accepts,
            retry_attempt=self.signing.retry_num or 0,
            retry_reason=self.signing.retry_reason or "",
        )
        if ack is None:
            reply = AppReply(0, {}, "", ACK_TIMEOUT)
            reply.problems = [f"no ack within {ACK_TIMEOUT}s"]
            return reply
        body_out: Any = ack.payload if ack.payload is not None else ""
        return AppReply(200, {"content-type": "application/json"}, body_out, ack.elapsed)


# Envelopes whose ack may carry an answer (a command's message, modal errors, options).
_ANSWERED = {"view_submission", "block_suggestion"}


def envelope_of(body: bytes, content_type: str) -> tuple[str, Json, bool]:
    """What Slack would put in an envelope for the HTTP body it would otherwise POST."""
    if "json" in content_type:
        event = json.loads(body)
        if event.get("type") != "event_callback":
            raise ValueError(f"Socket Mode sends no {event.get('type')} requests")
        return "events_api", event, False
    fields = {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
    if "payload" in fields:
        payload = json.loads(fields["payload"])
        return "interactive", payload, payload.get("type") in _ANSWERED
    return "slash_commands", fields, True
