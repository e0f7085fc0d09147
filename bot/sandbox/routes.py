"""The page's routes on the fake Slack's port: the static page, the JSON it reads
(`/sandbox/info`, `/sandbox/state`, `/sandbox/events` long-poll) and what people do."""

import json
import logging
import mimetypes
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

from bot.fakeslack.httpd import Reply, Request, RouteHandler
from bot.sandbox import actions
from bot.sandbox.actions import PageError
from bot.sandbox.snapshot import people, snapshot

if TYPE_CHECKING:
    from bot.sandbox.server import Sandbox

log = logging.getLogger("perkbot.sandbox")
POLL_SECONDS = 20.0
QUIET = ("api.call",)  # the log's own bookkeeping: nothing on screen changes
Json = dict[str, Any]
Action = Callable[["Sandbox", str, Json], Json]


def static_file(name: str) -> Reply:
    folder = resources.files("bot.sandbox") / "static"
    names = {f.name for f in folder.iterdir()}
    if name not in names:  # only the files shipped, never a path
        return Reply.text("not found", 404)
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    body = (folder / name).read_bytes()
    return Reply(200, body, {"Content-Type": f"{kind}; charset=utf-8", "Cache-Control": "no-store"})


def _body(request: Request) -> Json:
    try:
        data = json.loads(request.body or b"{}")
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise PageError("expected a JSON object")
    return data


def install(sandbox: "Sandbox") -> None:
    routes: list[tuple[str, str, RouteHandler]] = [
        ("GET", "/", lambda r: static_file("index.html")),
        ("GET", "/static/", lambda r: static_file(r.path.removeprefix("/static/"))),
        ("GET", "/sandbox/info", lambda r: Reply.json(info(sandbox))),
        ("GET", "/sandbox/state", lambda r: Reply.json(state(sandbox, r))),
        ("GET", "/sandbox/events", lambda r: Reply.json(events(sandbox, r))),
        ("GET", "/sandbox/file/", lambda r: download(sandbox, r)),
        ("POST", "/sandbox/", lambda r: act(sandbox, r)),
    ]
    for method, prefix, handler in routes:
        sandbox.fake.add_route(method, prefix, _same_machine(sandbox, handler))


def _same_machine(sandbox: "Sandbox", handler: RouteHandler) -> RouteHandler:
    """Only the page as opened from this machine: another Host (a DNS-rebinding site) is
    refused, and actions must be JSON, which a cross-site form cannot send unasked."""

    def guarded(request: Request) -> Reply:
        port = sandbox.fake.port
        if request.headers.get("host") not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            return Reply.text("forbidden: open the sandbox at its 127.0.0.1 address", 403)
        json_body = request.headers.get("content-type", "").startswith("application/json")
        if request.method == "POST" and not json_body:
            return Reply.text("expected application/json", 415)
        return handler(request)

    return guarded


def download(sandbox: "Sandbox", request: Request) -> Reply:
    """A file Perkbot uploaded (e.g. `/perk export`), as the person's browser downloads it."""
    found = sandbox.fake.file(request.path.removeprefix("/sandbox/file/"))
    if found is None or found.content is None:
        return Reply.text("not found", 404)
    kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    safe_name = "".join(c for c in found.name if c.isalnum() or c in "._-") or "file"
    headers = {"Content-Type": kind, "Content-Disposition": f'attachment; filename="{safe_name}"'}
    return Reply(200, found.content, headers)


def info(sandbox: "Sandbox") -> Json:
    return {
        "ready": sandbox.ready.is_set(),
        "error": sandbox.error,
        "team": sandbox.fake.team.name,
        "now": sandbox.clock(),
        "people": people(),
        "shortcuts": actions.shortcuts(),
        "commands": sorted(actions.slash_commands()),
        "folder": sandbox.folder.name,
    }


def state(sandbox: "Sandbox", request: Request) -> Json:
    seq = len(sandbox.fake.state.events())
    user = request.query.get("user") or ""
    data = snapshot(sandbox.fake, user, request.query.get("channel") or None, seq)
    return data | {"now": sandbox.clock(), "ready": sandbox.ready.is_set()}


def events(sandbox: "Sandbox", request: Request) -> Json:
    """Long-poll: answers as soon as something visible changed after `after`, or at timeout."""
    log_ = sandbox.fake.state
    seq = int(request.query.get("after") or 0)
    waited = 0.0
    while waited < POLL_SECONDS:
        found = log_.events_after(seq, 1.0)
        waited += 1.0
        if found:
            seq = found[-1].seq
            if any(e.kind not in QUIET for e in found):
                break
    return {"seq": seq, "now": sandbox.clock()}


def act(sandbox: "Sandbox", request: Request) -> Reply:
    name = request.path.removeprefix("/sandbox/")
    handler = ACTIONS.get(name)
    if handler is None:
        return Reply.json({"ok": False, "error": "not_found"}, 404)
    try:
        body = _body(request)
        return Reply.json(handler(sandbox, str(body.get("user") or ""), body))
    except (PageError, ValueError, LookupError) as e:
        return Reply.json({"ok": False, "problems": [str(e)]}, 400)


def _ready(handler: Callable[..., Json]) -> Action:
    def run(sandbox: "Sandbox", user: str, body: Json) -> Json:
        if sandbox.slack is None or not sandbox.ready.is_set():
            raise PageError("The sandbox is still starting.")
        if user not in {p["id"] for p in people()}:
            raise PageError("Pick someone to act as.")
        return handler(sandbox.slack, user, body)

    return run


def _clock(sandbox: "Sandbox", user: str, body: Json) -> Json:
    zones = {p["id"]: p["tz"] for p in people()}
    steps = sandbox.advance(
        hours=float(body.get("hours") or 0),
        days=float(body.get("days") or 0),
        until=body.get("until") or None,
        zone=zones.get(user, "UTC"),  # "to a date": its midnight where the person is
    )
    return {"ok": True, "problems": [], "steps": steps, "now": sandbox.clock()}


def _sample(sandbox: "Sandbox", user: str, body: Json) -> Json:
    return {"ok": True, "problems": [], "made": sandbox.sample_data()}


ACTIONS: dict[str, Action] = {
    "send": _ready(lambda s, u, b: actions.send_text(s, u, str(b["channel"]), str(b["text"]))),
    "click": _ready(actions.click),
    "submit": _ready(actions.submit),
    "close": _ready(actions.close),
    "suggest": _ready(actions.suggest),
    "shortcut": _ready(actions.shortcut),
    "home": _ready(lambda s, u, b: actions.open_home(s, u)),
    "clock": _clock,
    "sample": _sample,
}
