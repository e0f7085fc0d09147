"""Note task buttons: Mark as sent, Snooze 1 day, Skip (which asks for a reason)."""

from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.notes_blocks import note_done_message, snoozed_message
from bot.blocks.small_modals import skip_note_modal
from bot.ids import Action
from bot.listeners.common import Deps, actor_of, after_ack, lazy, publish_home
from bot.listeners.router import Router
from bot.metadata import NoteRef
from perks import home, notetasks
from perks.context import Actor
from storage.models import NoteTask


def register(app: Router, deps: Deps) -> None:
    @lazy
    def on_sent(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, ref = actor_of(context, body), NoteRef.load(body["actions"][0].get("value"))
        task = notetasks.mark_sent(deps.ctx, actor, ref.task_id, now=deps.clock())
        show_done(deps, client, body, respond, actor, task)

    @lazy
    def on_snooze(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, ref = actor_of(context, body), NoteRef.load(body["actions"][0].get("value"))
        task = notetasks.snooze(deps.ctx, actor, ref.task_id, now=deps.clock())
        show_done(deps, client, body, respond, actor, task, snoozed=True)

    @lazy
    def on_skip(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, ref = actor_of(context, body), NoteRef.load(body["actions"][0].get("value"))
        task = home.note_task(deps.ctx, actor, ref.task_id)
        name = home.customer_name(deps.ctx, actor.team_id, task.customer_id)
        container = body.get("container") or {}
        ref = NoteRef(
            task_id=ref.task_id, channel=container.get("channel_id"), ts=container.get("message_ts")
        )
        client.views_open(trigger_id=body["trigger_id"], view=skip_note_modal(ref, name).to_dict())

    app.action(Action.NOTE_SENT)(after_ack(deps, on_sent))
    app.action(Action.NOTE_SNOOZE)(after_ack(deps, on_snooze))
    app.action(Action.NOTE_SKIP)(after_ack(deps, on_skip))


def show_done(
    deps: Deps,
    client: WebClient,
    body: dict[str, Any],
    respond: Respond | None,
    actor: Actor,
    task: NoteTask,
    *,
    snoozed: bool = False,
) -> None:
    """Replace the note message with its outcome; refresh App Home."""
    name = home.customer_name(deps.ctx, actor.team_id, task.customer_id)
    message = snoozed_message(task, name) if snoozed else note_done_message(task, name)
    container = body.get("container") or {}
    if container.get("type") == "message" and respond is not None and body.get("response_url"):
        respond(replace_original=True, **message.payload())
    publish_home(client, deps, actor)
