"""Modal submissions: validate inside the ack (so errors show under their field), then
post what follows after the ack, in lazy listeners.

A proposal is the busiest submission: only its field rules run before the ack, and its
transaction (the budget check and the reservation) right after it, where a busy database
can be waited out instead of answered with "try again".
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.common import Message, section
from bot.blocks.event_modal import log_event_modal
from bot.blocks.inputs import modal
from bot.blocks.messages import (
    approval_request_message,
    event_logged_message,
    not_proposed_message,
    notice,
    proposal_submitted_message,
)
from bot.blocks.notes_blocks import note_done_message
from bot.errors import modal_errors
from bot.forms import event_form, proposal_form, reason, settings_form
from bot.ids import Callback, Field
from bot.listeners.approvals import after_decision
from bot.listeners.common import Deps, actor_of, after_ack, dm, lazy, publish_home
from bot.listeners.router import Router
from bot.metadata import CustomerRef, EventModalMeta, NoteRef, ProposalRef, ProposeModalMeta
from perks import admin, customers, decisions, deliveries, events, home, notetasks
from perks.context import Actor, Ctx
from perks.errors import PerkError
from perks.events import DuplicateEvent
from perks.proposal_form import ProposalForm, check_form
from perks.proposals import Proposed, propose_perk
from perks.roles import RouteKind
from storage.db import DatabaseBusy

log = logging.getLogger("perkbot")

Answer = dict[str, Any] | None  # what the ack sends; None closes the modal
BUSY_ATTEMPTS = 5  # after the ack: ~1.5 s waits for a busy database before giving up


def propose_patiently(
    ctx: Ctx, actor: Actor, form: ProposalForm, *, now: Callable[[], datetime]
) -> Proposed:
    """Make the proposal, waiting out a busy database: the modal is closed already."""
    for _ in range(BUSY_ATTEMPTS - 1):
        try:
            return propose_perk(ctx, actor, form, now=now())
        except DatabaseBusy:
            log.warning("database busy while proposing; trying again")
    return propose_perk(ctx, actor, form, now=now())


def _inputs(view: dict[str, Any]) -> set[str]:
    return {b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"}


def _done(title: str, text: str) -> Answer:
    return {
        "response_action": "update",
        "view": modal("done", title, [section(text)], submit=None).to_dict(),
    }


def answer(ack: Ack, view: dict[str, Any], fallback: Field, work: Callable[[], Answer]) -> bool:
    """Run the domain call; a PerkError becomes a modal error under its field.
    True when the submission was accepted (the work after the ack then follows)."""
    block = fallback.value if fallback.value in _inputs(view) else Field.CUSTOMER.value
    try:
        reply = work()
    except PerkError as exc:
        ack(response_action="errors", errors=modal_errors(exc, _inputs(view), block))
        return False
    except DatabaseBusy:  # the ack must go out within Slack's 3 s: say so, keep the input
        ack(
            response_action="errors",
            errors={block: "Perkbot is very busy right now. Please submit again."},
        )
        return False
    ack(**(reply or {"response_action": "clear"}))
    return True


def closing(call: Callable[[], object]) -> Callable[[], Answer]:
    """A domain call whose success simply closes the modal."""

    def work() -> Answer:
        call()
        return None

    return work


def _values(view: dict[str, Any]) -> dict[str, Any]:
    return view["state"]["values"]


def register(app: Router, deps: Deps) -> None:
    ctx, now = deps.ctx, deps.clock

    def ack_event(ack: Ack, body: dict[str, Any], context: BoltContext) -> bool:
        view = body["view"]
        meta = EventModalMeta.load(view.get("private_metadata"))

        def work() -> Answer:
            form = event_form(_values(view), meta)
            try:
                events.log_event(ctx, actor_of(context, body), form, now=now())
            except DuplicateEvent as exc:  # show the earlier event; a second submit saves
                meta.allow_duplicate = True
                again = log_event_modal(meta, duplicate=exc.existing, typed=form)
                return {"response_action": "update", "view": again.to_dict()}
            return None

        return answer(ack, view, Field.CUSTOMER, work)

    def ack_propose(ack: Ack, body: dict[str, Any], context: BoltContext) -> bool:
        """Only the field rules before the ack; the proposal is made right after it."""
        view, team_id = body["view"], actor_of(context, body).team_id
        meta = ProposeModalMeta.load(view.get("private_metadata"))
        return answer(
            ack,
            view,
            Field.AMOUNT,
            closing(
                lambda: check_form(
                    ctx, proposal_form(_values(view), meta), deps.settings.get(team_id, now())
                )
            ),
        )

    def ack_reject(ack: Ack, body: dict[str, Any], context: BoltContext) -> bool:
        view = body["view"]
        ref = ProposalRef.load(view.get("private_metadata"))
        return answer(
            ack,
            view,
            Field.REASON,
            closing(
                lambda: decisions.reject(
                    ctx,
                    actor_of(context, body),
                    ref.proposal_id,
                    reason=reason(_values(view)),
                    now=now(),
                ),
            ),
        )

    def ack_skip(ack: Ack, body: dict[str, Any], context: BoltContext) -> bool:
        view = body["view"]
        ref = NoteRef.load(view.get("private_metadata"))
        return answer(
            ack,
            view,
            Field.REASON,
            closing(
                lambda: notetasks.skip(
                    ctx,
                    actor_of(context, body),
                    ref.task_id,
                    reason=reason(_values(view)),
                    now=now(),
                ),
            ),
        )

    def ack_no_gifts(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        view = body["view"]
        ref = CustomerRef.load(view.get("private_metadata"))

        def work() -> Answer:
            found = customers.set_no_gifts(
                ctx,
                actor_of(context, body),
                ref.customer_id,
                flag=True,
                reason=reason(_values(view)),
                now=now(),
            )
            return _done("No gifts", f":no_entry: *{found.name}* is flagged no gifts.")

        answer(ack, view, Field.REASON, work)

    def ack_settings(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        view = body["view"]

        def work() -> Answer:
            admin.update_settings(
                ctx, actor_of(context, body), settings_form(_values(view)), now=now()
            )
            deps.settings.forget(actor_of(context, body).team_id)
            return _done("Perkbot settings", ":white_check_mark: Settings saved.")

        answer(ack, view, Field.TEAM_BUDGET, work)

    @lazy
    def after_event(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, meta = (
            actor_of(context, body),
            EventModalMeta.load(body["view"].get("private_metadata")),
        )
        logged = events.by_client_key(ctx, actor, meta.client_key)
        if logged is not None:  # None: refused, or shown again as a duplicate
            _tell(client, actor, meta.channel, event_logged_message(logged))
            publish_home(client, deps, actor)

    @lazy
    def after_propose(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, meta = (
            actor_of(context, body),
            ProposeModalMeta.load(body["view"].get("private_metadata")),
        )
        form = proposal_form(_values(body["view"]), meta)
        try:
            proposed = propose_patiently(ctx, actor, form, now=now)
        except PerkError as exc:  # refused (no gifts, team budget, …): the modal is closed
            _tell(client, actor, meta.channel, not_proposed_message(form.description, exc.message))
            return
        made = deliveries.ProposalView(
            proposed.proposal, proposed.customer, proposed.event, proposed.note_task
        )
        send_approval_request(deps, client, made)
        # The balance as the proposal's own transaction left it: no second read.
        _tell(client, actor, meta.channel, proposal_submitted_message(made, proposed.rep.remaining))
        publish_home(client, deps, actor)

    @lazy
    def after_reject(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, ref = actor_of(context, body), ProposalRef.load(body["view"].get("private_metadata"))
        after_decision(deps, client, actor.team_id, ref.proposal_id)
        publish_home(client, deps, actor)

    @lazy
    def after_skip(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, ref = actor_of(context, body), NoteRef.load(body["view"].get("private_metadata"))
        task = home.note_task(ctx, actor, ref.task_id)
        if task.status == "open":  # the submission was refused (no reason): nothing to show
            return
        if ref.channel and ref.ts:
            name = home.customer_name(ctx, actor.team_id, task.customer_id)
            client.chat_update(
                channel=ref.channel, ts=ref.ts, **note_done_message(task, name).payload()
            )
        publish_home(client, deps, actor)

    app.view(Callback.LOG_EVENT)(after_ack(deps, after_event, ack_event))
    app.view(Callback.PROPOSE)(after_ack(deps, after_propose, ack_propose))
    app.view(Callback.REJECT)(after_ack(deps, after_reject, ack_reject))
    app.view(Callback.SKIP_NOTE)(after_ack(deps, after_skip, ack_skip))
    app.view(Callback.NO_GIFTS)(ack_no_gifts)
    app.view(Callback.SETTINGS)(ack_settings)


def _tell(client: WebClient, actor: Actor, channel: str | None, message: Message) -> None:
    """A private confirmation where the person was, else in their DM with Perkbot."""
    if channel and not channel.startswith("D"):
        client.chat_postEphemeral(channel=channel, user=actor.user_id, **message.payload())
    else:
        dm(client, actor.user_id, message)


def send_approval_request(deps: Deps, client: WebClient, made: deliveries.ProposalView) -> None:
    """Post the approval request once, to the route of SPEC §1, and remember each copy."""
    p = made.proposal
    route = deliveries.claim_approval_request(deps.ctx, p.team_id, p.id or 0, now=deps.clock())
    if route is None:
        return
    message = approval_request_message(p, made.customer, made.event)
    if route.kind is RouteKind.NOBODY:
        dm(
            client,
            p.rep_user_id,
            notice(
                ":warning: Nobody else can approve this yet: ask an admin to add managers in `/perk settings`."
            ),
        )
    for target in route.targets:
        posted = client.chat_postMessage(channel=target, **message.payload())
        deliveries.record_approval_message(
            deps.ctx, p.team_id, p.id or 0, posted["channel"], posted["ts"]
        )
        if route.kind is not RouteKind.CHANNEL:
            publish_home(client, deps, Actor(p.team_id, target))
