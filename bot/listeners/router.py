"""One Bolt listener per kind of request, which finds ours by its id.

Bolt tries its listeners one after the other and builds each one's arguments to test
it, about 0.1 ms a try: with twenty listeners, a click spent longer being matched than
acked. Bolt now sees one listener per kind and ours are found with a dict look-up.
"""

import inspect
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

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


class Router:
    """Stands in for the App while the listener modules register; `install` hands Bolt
    one listener per kind, then the event listeners. Middleware goes straight to the App."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._routes: dict[str, dict[str, tuple[Listener, tuple[str, ...]]]] = {
            kind: {} for kind in KEYS
        }
        self._events: list[tuple[Any, ...]] = []

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
        """Registered at `install`, after the kinds: Bolt then tries commands first."""

        def register(*listener: Any, **how: Any) -> None:
            self._events.append((args, kwargs, listener, how))

        return register

    def middleware(self, *args: Any, **kwargs: Any) -> Any:
        return self.app.middleware(*args, **kwargs)

    def install(self) -> None:
        for kind, routes in self._routes.items():
            if routes:
                getattr(self.app, kind)(ANY)(_dispatcher(routes, KEYS[kind]))
        for args, kwargs, listener, how in self._events:
            self.app.event(*args, **kwargs)(*listener, **how)

    def _add(self, kind: str, key: str) -> Callable[[Listener], Listener]:
        def register(fn: Listener) -> Listener:
            if str(key) in self._routes[kind]:
                raise ValueError(f"two {kind} listeners for {key}")
            self._routes[kind][str(key)] = (fn, tuple(inspect.signature(fn).parameters))
            return fn

        return register


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
