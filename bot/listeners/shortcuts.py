"""Message shortcut **Log life event**: the event modal with the message in Notes."""

from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.event_modal import log_event_modal
from bot.ids import Callback
from bot.listeners.common import Deps, after_ack, lazy
from bot.listeners.router import Router
from bot.metadata import EventModalMeta


def register(app: Router, deps: Deps) -> None:
    @lazy
    def open_from_message(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        channel = (body.get("channel") or {}).get("id")
        message = body.get("message") or {}
        meta = EventModalMeta(channel=channel)
        notes = message.get("text") or ""
        # Open first: the trigger lasts 3 s. The permalink follows in an update.
        opened = client.views_open(
            trigger_id=body["trigger_id"], view=log_event_modal(meta, notes=notes).to_dict()
        )
        link = client.chat_getPermalink(channel=channel, message_ts=message.get("ts"))
        meta.permalink = link.get("permalink")
        view = opened["view"]
        client.views_update(
            view_id=view["id"],
            hash=view.get("hash"),
            view=log_event_modal(meta, notes=notes).to_dict(),
        )

    app.shortcut(Callback.SHORTCUT)(after_ack(deps, open_from_message))
