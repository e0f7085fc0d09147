"""One Bolt listener per kind of request, which finds ours by its id.

Bolt tries its listeners one after the other and builds each one's arguments to test
it, about 0.1 ms a try: with twenty listeners, a click spent longer being matched than
acked. Bolt now sees one listener per kind and ours are found with a dict look-up.

The router can also stand in for listeners still loading (`perkbot run --http` serves
before Perkbot's modules have loaded; see bot.starting): between `install` and `open`,
an early command (`/perk`) is acked at once and runs once the listeners are in, while
any other request waits for them, up to OPEN_WAIT_S, within Slack's 3 s.
"""

import inspect
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse, Respond
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient

log = logging.getLogger("perkbot")

Listener = Callable[..., Any]
# kind → the id that picks our listener (Bolt's own matching already checked the kind)
KEYS: dict[str, Callable[[dict[str, Any]], str]] = {
    "command": lambda body: str(body.get("command")),
    "action": lambda body: str((body.get("actions") or [{}])[0].get("action_id")),
    "view": lambda body: str((body.get("view") or {}).get("callback_id")),
    "options": lambda body: str(body.get("action_id")),
    "shortcut": lambda body: str(body.get("callback_id")),
}
ANY = re.compile(".*")
OPEN_WAIT_S = 2.5  # a request waiting for the listeners is still acked within Slack's 3 s
EARLY_WORK_WAIT_S = 60.0  # an early command's work waits this long (start-up takes ~1 s)
# A command's trigger_id opens a modal for 3 s only: later, an early command is not run.
EARLY_RUN_WITHIN_S = 2.5
TOO_EARLY = (
    ":hourglass: Perkbot was just starting and could not answer in time. "
    "Please send your `/perk` command again."
)
FAILED = ":warning: Something went wrong on our side. Please send your `/perk` command again."


class Router:
    """Stands in for the App while the listener modules register; `install` hands Bolt
    one listener per kind, `open` the event listeners. Middleware goes straight to the App."""

    def __init__(self, app: App, *, early: Iterable[str] = ()) -> None:
        self.app = app
        self._routes: dict[str, dict[str, tuple[Listener, tuple[str, ...]]]] = {
            kind: {} for kind in KEYS
        }
        self._events: list[tuple[Any, ...]] = []
        self._early = frozenset(early)  # commands acked before `open`
        self._installed = False
        self._opened = threading.Event()

    def command(self, key: str) -> Callable[[Listener], Listener]:
        return self._add("command", key)

    def action(self, key: str) -> Callable[[Listener], Listener]:
        return self._add("action", key)

    def view(self, key: str) -> Callable[[Listener], Listener]:
        return self._add("view", key)

    def options(self, key: str) -> Callable[[Listener], Listener]:
        return self._add("options", key)

    def shortcut(self, key: str) -> Callable[[Listener], Listener]:
        return self._add("shortcut", key)

    def event(self, *args: Any, **kwargs: Any) -> Callable[..., None]:
        """Registered at `open`, after the kinds: Bolt then tries commands first."""

        def register(*listener: Any, **how: Any) -> None:
            self._events.append((args, kwargs, listener, how))

        return register

    def middleware(self, *args: Any, **kwargs: Any) -> Any:
        return self.app.middleware(*args, **kwargs)

    def install(self) -> None:
        """Serve before the listeners are in: requests wait for `open`, but an early
        command is acked at once (bot.starting). Without this, `open` does it all."""
        self.app.middleware(_UntilOpen(self._opened, self._early))
        self._install_kinds()

    def open(self) -> None:
        """Every listener is in: register the event listeners and let requests through."""
        if not self._installed:
            self._install_kinds()
        for args, kwargs, listener, how in self._events:
            self.app.event(*args, **kwargs)(*listener, **how)
        self._opened.set()

    def _install_kinds(self) -> None:
        self._installed = True
        for kind in KEYS:
            dispatch = _dispatcher(self._routes[kind], KEYS[kind])
            if kind == "command" and self._early:
                dispatch = self._early_or(dispatch)
            getattr(self.app, kind)(ANY)(dispatch)

    def _early_or(self, dispatch: Listener) -> Listener:
        """Before `open`, an early command is acked now and run once the listeners are in."""

        def listener(
            ack: Ack,
            body: dict[str, Any],
            client: WebClient,
            context: BoltContext,
            respond: Respond,
        ) -> None:
            if self._opened.is_set():
                dispatch(ack=ack, body=body, client=client, context=context, respond=respond)
                return
            ack()
            given = dict(body=body, client=client, context=context, respond=respond)
            threading.Thread(
                target=self._when_open,
                args=(dispatch, {"ack": _ack_by_respond(respond), **given}, time.monotonic()),
                name="early-command",
                daemon=True,
            ).start()

        return listener

    def _when_open(self, dispatch: Listener, given: dict[str, Any], acked_at: float) -> None:
        opened = self._opened.wait(EARLY_WORK_WAIT_S)
        if not opened or time.monotonic() - acked_at > EARLY_RUN_WITHIN_S:
            log.warning("an early command was not run: the listeners came too late")
            _tell(given["respond"], TOO_EARLY)
            return
        try:
            dispatch(**given)
        except Exception:
            log.exception("an early command failed")
            _tell(given["respond"], FAILED)

    def _add(self, kind: str, key: str) -> Callable[[Listener], Listener]:
        def register(fn: Listener) -> Listener:
            if str(key) in self._routes[kind]:
                raise ValueError(f"two {kind} listeners for {key}")
            self._routes[kind][str(key)] = (fn, tuple(inspect.signature(fn).parameters))
            return fn

        return register


class _UntilOpen(Middleware):
    """Holds requests until the listeners are in, except early commands. A Middleware of
    Bolt's own kind: no arguments are built for it per request, unlike a function's."""

    def __init__(self, opened: threading.Event, early: frozenset[str]) -> None:
        self.opened, self.early = opened, early

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        waits = not self.opened.is_set() and req.body.get("command") not in self.early
        if waits and not self.opened.wait(OPEN_WAIT_S):
            # Slack retries an event; a click or submission shows the user an error.
            return BoltResponse(status=503, body="Perkbot is starting")
        return next()


def _tell(respond: Respond, text: str) -> None:
    try:
        respond(text=text, response_type="ephemeral")
    except Exception:  # Slack unreachable: nobody left to tell
        log.exception("could not answer an early command")


def _ack_by_respond(respond: Respond) -> Callable[..., None]:
    """For a command already acked: what the ack would have said goes out privately."""

    def ack(text: str = "", blocks: Any = None, **_: Any) -> None:
        if text or blocks:
            respond(text=text, blocks=blocks, response_type="ephemeral")

    return ack


def _dispatcher(
    routes: dict[str, tuple[Listener, tuple[str, ...]]], key_of: Callable[[dict[str, Any]], str]
) -> Listener:
    def listener(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        found = routes.get(key_of(body))
        if found is None:  # e.g. a link button: nothing to do but say we got it
            ack()
            return
        fn, names = found
        given = {"ack": ack, "body": body, "client": client, "context": context, "respond": respond}
        fn(**{name: given[name] for name in names})

    return listener
