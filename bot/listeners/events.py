"""Events API: App Home opened. Deliveries are deduplicated on (team, event_id)."""

from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.listeners.common import Deps, actor_of, publish_home_now
from bot.listeners.router import Router
from perks import deliveries


def register(app: Router, deps: Deps) -> None:
    @app.middleware
    def drop_repeated_events(
        body: dict[str, Any], context: BoltContext, next: Any
    ) -> BoltResponse | None:
        """A retry of an event already handled changes nothing (RELIABILITY 9)."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not deliveries.first_delivery(
            deps.ctx, str(context.team_id), event_id, now=deps.clock()
        ):
            return BoltResponse(status=200, body="")
        return next()

    def ack_event() -> None:
        """Events need no ack call: Bolt answers 200 when the listener returns."""

    def home_opened(
        body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        if event.get("tab", "home") == "home":
            publish_home_now(
                client, deps, actor_of(context, {"user": {"id": event.get("user")}, **body})
            )

    app.event("app_home_opened")(ack=ack_event, lazy=[home_opened])
