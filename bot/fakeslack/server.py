"""`FakeSlack`: the Slack Web API, response_urls and file uploads on a real local HTTP port.

    with FakeSlack() as fake:
        client = WebClient(token=fake.bot_token, base_url=fake.api_url)

Routes: POST|GET /api/<method>, POST /response/<id>, POST /upload/<file id>, plus whatever a
caller adds with `add_route` (the sandbox page).
"""

import json
import logging
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar

from bot.fakeslack.api import call_method
from bot.fakeslack.api_chat import answer_response_url
from bot.fakeslack.api_files import receive_upload
from bot.fakeslack.clock import Clock
from bot.fakeslack.faults import DEFAULT_RATE_LIMITED, Faults
from bot.fakeslack.httpd import Reply, Request, RouteHandler, Server
from bot.fakeslack.records import Call, Json, Team
from bot.fakeslack.state import Workspace
from bot.fakeslack.workspace_setup import WorkspaceSetup

T = TypeVar("T")
logger = logging.getLogger(__name__)


class FakeSlack(WorkspaceSetup):
    def __init__(
        self,
        *,
        clock: Clock | None = None,
        team_id: str = "T0001",
        team_domain: str = "perkbot-sandbox",
        team_name: str = "Perkbot Sandbox",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.state = Workspace(clock)
        self.faults = Faults()
        self.team: Team = self.state.add_team(team_id, team_domain, team_name)
        self._host, self._port = host, port
        self._routes: list[tuple[str, str, RouteHandler]] = []
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is None:
            self._stopping.clear()
            self._server = Server(self._host, self._port, self._dispatch)
            self._thread = self._server.serve_in_background()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._stopping.set()  # wakes requests sleeping in an injected delay
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    @property
    def bound_address(self) -> tuple[str, int]:
        """(host, port) of the listening socket, as the operating system has it."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        host, port = self._server.socket.getsockname()[:2]
        return str(host), int(port)

    @property
    def port(self) -> int:
        return self.bound_address[1]

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}/"

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL / WebClient(base_url=...) should be."""
        return f"{self.url}api/"

    @property
    def bot_token(self) -> str:
        return self.team.bot_token

    # -- faults ---------------------------------------------------------------------------

    def fail_next(self, method: str | None, status: int | None = None, **kwargs: Any) -> None:
        """429 (retry_after=1), 5xx, error="channel_not_found" or drop=True; times=N queues N."""
        self.faults.fail_next(method, status, **kwargs)

    def delay(self, method: str | None, seconds: float, *, times: int | None = None) -> None:
        self.faults.delay(method, seconds, times=times)

    def rate_limit(self, per_second: float | None, methods: tuple[str, ...] | None = None) -> None:
        self.faults.rate_limit(per_second, methods or DEFAULT_RATE_LIMITED)

    def clear_faults(self) -> None:
        self.faults.clear()

    # -- inspection -----------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        return self.state.calls(method)

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        return self.state.wait_for(predicate, timeout)

    def wait_for_call(
        self,
        method: str,
        timeout: float = 5.0,
        *,
        where: Callable[[Call], bool] | None = None,
        since: int = 0,
    ) -> Call:
        """The first call to `method` (among calls made after the first `since`) matching `where`."""

        def found() -> Call | None:
            later = self.state.calls()[since:]
            return next((c for c in later if c.method == method and (not where or where(c))), None)

        return self.state.wait_for(found, timeout)

    # -- routing --------------------------------------------------------------------------

    def add_route(self, http_method: str, path_prefix: str, handler: RouteHandler) -> None:
        """Serve more on the same port (e.g. the sandbox page); checked before the built-ins.
        The prefix "/" matches the root page only, so it cannot hide the Web API."""
        self._routes.append((http_method.upper(), path_prefix, handler))

    def _dispatch(self, request: Request) -> Reply:
        try:
            return self._route(request)
        except Exception as e:  # a bug in the fake must show up as an answer, not a hang-up
            logger.exception("fake Slack failed on %s %s", request.method, request.path)
            return Reply.json({"ok": False, "error": "fake_slack_error", "detail": repr(e)}, 500)

    def _route(self, request: Request) -> Reply:
        for http_method, prefix, handler in self._routes:
            matches = request.path == "/" if prefix == "/" else request.path.startswith(prefix)
            if request.method == http_method and matches:
                return handler(request)
        head, _, rest = request.path.lstrip("/").partition("/")
        if head == "api" and rest:
            return self._api(rest, request)
        if head == "response" and request.method == "POST":
            return self._timed("response_url", request, self._response_url, rest)
        if head == "upload" and request.method == "POST":
            return self._timed("upload", request, self._upload, rest)
        return Reply.json({"ok": False, "error": "not_found"}, 404)

    def _timed(
        self, name: str, request: Request, answer: Callable[[str, Request], Reply], arg: str
    ) -> Reply:
        """Delays and queued faults apply to response_url and upload posts too."""
        if seconds := self.faults.take_delay(name):
            self._stopping.wait(seconds)
        if fault := self.faults.take_fault(name):
            reply = Reply.json(fault.body(), fault.status)
            reply.drop = fault.drop
        else:
            reply = answer(arg, request)
        self._record(name, {"url_id": arg, "body": request.body.decode(errors="replace")}, reply)
        return reply

    def _response_url(self, url_id: str, request: Request) -> Reply:
        body = request.params()
        if isinstance(body.get("payload"), str):  # a form post carries the JSON in `payload`
            try:
                body = json.loads(body["payload"])
            except json.JSONDecodeError:
                body = None
        if not isinstance(body, dict):
            return Reply.json({"ok": False, "error": "invalid_payload"}, 400)
        status, answer = answer_response_url(self.state, url_id, body)
        return Reply.json(answer, status)

    def _upload(self, file_id: str, request: Request) -> Reply:
        status, text = receive_upload(self.state, file_id, request.body)
        return Reply.text(text, status)

    def _api(self, method: str, request: Request) -> Reply:
        params = request.params()
        # Slack takes the token from the Authorization header or, for form bodies, a field.
        auth = request.headers.get("authorization", "")
        form_token = params.pop("token", None)
        token = auth.removeprefix("Bearer ").strip() or (str(form_token) if form_token else None)
        if seconds := self.faults.take_delay(method):
            self._stopping.wait(seconds)
        team = self.state.team_for_token(token) if token else None
        if fault := self.faults.take_fault(method):
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            reply = Reply.json(fault.body(), fault.status, headers)
            reply.drop = fault.drop
        elif team and (
            retry := self.faults.check_rate(
                method, team.id, str(params.get("channel") or ""), self.state.clock()
            )
        ):
            reply = Reply.json(
                {"ok": False, "error": "ratelimited"}, 429, {"Retry-After": str(retry)}
            )
        else:
            body, team = call_method(self.state, method, params, token, self.url)
            reply = Reply.json(body)
        self._record(method, params, reply, team, token)
        return reply

    def _record(
        self,
        method: str,
        params: Json,
        reply: Reply,
        team: Team | None = None,
        token: str | None = None,
    ) -> None:
        try:
            response = json.loads(reply.body) if reply.body else {}
        except ValueError:
            response = {"text": reply.body.decode(errors="replace")}
        call = Call(
            method=method,
            params=params,
            time=self.state.clock(),
            team_id=team.id if team else None,
            token=token,
            status=0 if reply.drop else reply.status,
            response=response if isinstance(response, dict) else {"body": response},
            headers=dict(reply.headers),
        )
        self.state.record_call(call)
