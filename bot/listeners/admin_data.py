"""`/perk export` (a CSV in the requester's DM) and `/perk forget` with its Forget button."""

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.common import Message
from bot.blocks.forget import forget_message, forgotten_message
from bot.blocks.messages import notice
from bot.ids import Action
from bot.listeners.common import Deps, actor_of, after_ack, lazy
from bot.listeners.router import Router
from bot.metadata import CustomerRef
from perks import erasure, export
from perks.context import Actor

Reply = Callable[[Message], None]


def register(app: Router, deps: Deps) -> None:
    @lazy
    def on_forget(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ref = CustomerRef.load(body["actions"][0].get("value"))
        done = erasure.forget(deps.ctx, actor_of(context, body), ref.customer_id, now=deps.clock())
        respond(replace_original=True, **forgotten_message(done).payload())

    app.action(Action.FORGET)(after_ack(deps, on_forget))


def send_export(deps: Deps, actor: Actor, month: str, client: WebClient, reply: Reply) -> None:
    """The month's CSV, uploaded into the requester's DM with the bot."""
    chosen = export.parse_month(month) if month else None
    made = export.month_for(deps.ctx, actor, chosen, now=deps.clock())
    # files.completeUploadExternal shares into a conversation id, not a user id.
    dm = client.conversations_open(users=actor.user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=dm,
        content=made.content,
        filename=made.filename,
        title=made.title,
        initial_comment=f"{made.title}: {made.rows} perks, one row each.",
    )
    reply(notice(f":white_check_mark: {made.title} sent to your DM as `{made.filename}`."))


def ask_to_forget(deps: Deps, actor: Actor, name: str, reply: Reply) -> None:
    reply(forget_message(name, erasure.candidates(deps.ctx, actor, name)))
