"""`/perk` and its sub-commands: ack at once, do the work after (SPEC §3)."""

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.digest import digest_preview
from bot.blocks.event_modal import log_event_modal
from bot.blocks.lists import help_message, history_message, pending_message, team_message
from bot.blocks.messages import budget_message, notice
from bot.blocks.notes_blocks import notes_list_message
from bot.blocks.propose_modal import ProposeChoices, propose_modal
from bot.blocks.settings_modal import settings_modal
from bot.blocks.text import user
from bot.command_text import Command, parse
from bot.errors import CommandUsageError, user_message
from bot.ids import COMMAND
from bot.listeners import admin_data
from bot.listeners.common import Deps, actor_of, after_ack, lazy
from bot.listeners.router import Router
from bot.metadata import EventModalMeta, ProposeModalMeta
from perks import admin, customers, home, overview
from perks.context import Actor
from perks.digest import build_digest
from perks.roles import Role, is_approver, require_admin, require_manager


def register(app: Router, deps: Deps) -> None:
    def ack_perk(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        try:
            parse(body.get("text") or "")
        except CommandUsageError as exc:
            ack(response_type="ephemeral", **user_message(exc).payload())
            return
        ack()

    @lazy
    def run_perk(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        run(deps, parse(body.get("text") or ""), actor_of(context, body), body, client, respond)

    app.command(COMMAND)(after_ack(deps, run_perk, ack_perk))
    admin_data.register(app, deps)  # the Forget button of `/perk forget`


def run(
    deps: Deps,
    cmd: Command,
    actor: Actor,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
) -> None:
    ctx, now = deps.ctx, deps.clock()
    reply = lambda message: respond(response_type="ephemeral", **message.payload())  # noqa: E731
    if cmd.name == "event":
        meta = EventModalMeta(channel=body.get("channel_id"))
        client.views_open(trigger_id=body["trigger_id"], view=log_event_modal(meta).to_dict())
    elif cmd.name == "propose":
        currency = overview.budget(ctx, actor, now=now).currency
        view = propose_modal(
            ProposeModalMeta(channel=body.get("channel_id")), ProposeChoices(currency)
        )
        client.views_open(trigger_id=body["trigger_id"], view=view.to_dict())
    elif cmd.name == "budget":
        reply(budget_message(overview.budget(ctx, actor, now=now)))
    elif cmd.name == "notes":
        reply(notes_list_message(home.open_notes(ctx, actor)))
    else:  # what the rest shows or allows depends on the person's role: one read for it
        _by_role(deps, cmd, actor, admin.role(ctx, actor), body, client, reply)


def _by_role(
    deps: Deps,
    cmd: Command,
    actor: Actor,
    role: Role,
    body: dict[str, Any],
    client: WebClient,
    reply: Any,
) -> None:
    ctx, now = deps.ctx, deps.clock()
    if cmd.name == "help":
        reply(help_message(manager=is_approver(role), admin=role is Role.ADMIN))
    elif cmd.name == "customer":
        history = customers.history(ctx, actor, cmd.arg)
        reply(history_message(cmd.arg, history, can_flag=is_approver(role)))
    elif cmd.name == "pending":
        require_manager(role, "see approvals waiting")
        reply(pending_message(home.approvals_waiting(ctx, actor)))
    elif cmd.name == "digest":
        require_manager(role, "preview the digest")

        reply(digest_preview(build_digest(ctx, actor.team_id, now=now)))
    elif cmd.name == "settings":
        require_admin(role, "change Perkbot settings")
        ws, managers = admin.current_settings(ctx, actor, now=now)
        client.views_open(
            trigger_id=body["trigger_id"], view=settings_modal(ws, managers).to_dict()
        )
    elif cmd.name == "team":
        reply(team_message(admin.team(ctx, actor)))
    elif cmd.name == "export":
        admin_data.send_export(deps, actor, cmd.arg, client, reply)
    elif cmd.name == "forget":
        admin_data.ask_to_forget(deps, actor, cmd.arg, reply)
    elif cmd.name == "team assign":
        rep, manager = cmd.users
        admin.assign_manager(ctx, actor, rep, manager, now=now)
        reply(notice(f":white_check_mark: {user(manager)} now approves perks for {user(rep)}."))
    elif cmd.name == "team unassign":
        admin.assign_manager(ctx, actor, cmd.users[0], None, now=now)
        reply(
            notice(
                f":white_check_mark: {user(cmd.users[0])} has no assigned manager now; requests follow the workspace rules."
            )
        )
