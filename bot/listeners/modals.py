"""Buttons that open modals, pickers that reshape them, and the pickers' options."""

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.event_modal import log_event_modal
from bot.blocks.messages import budget_message, notice
from bot.blocks.notes_blocks import notes_list_message
from bot.blocks.propose_modal import (
    ProposeChoices,
    customer_option,
    perk_option_groups,
    propose_modal,
)
from bot.blocks.small_modals import no_gifts_modal
from bot.ids import Action, Field
from bot.listeners.common import Deps, actor_of, after_ack, lazy, reply_privately
from bot.listeners.router import Router
from bot.metadata import CustomerRef, EventModalMeta, EventRef, ProposeModalMeta
from perks import customers, events, home, overview
from perks.context import Actor
from perks.kinds import EventKind


def register(app: Router, deps: Deps) -> None:
    ctx = deps.ctx

    @lazy
    def open_event(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        meta = EventModalMeta(channel=(body.get("container") or {}).get("channel_id"))
        client.views_open(trigger_id=body["trigger_id"], view=log_event_modal(meta).to_dict())

    @lazy
    def open_propose(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor = actor_of(context, body)
        event_id = _value(body, EventRef).event_id if _has_value(body) else None
        meta = ProposeModalMeta(channel=(body.get("container") or {}).get("channel_id"))
        view = propose_modal(meta, _choices(deps, actor, meta, event_id=event_id))
        client.views_open(trigger_id=body["trigger_id"], view=view.to_dict())

    @lazy
    def pick_kind(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        view = body["view"]
        kind = body["actions"][0]["selected_option"]["value"]
        new = log_event_modal(
            EventModalMeta.load(view.get("private_metadata")), kind=EventKind(kind)
        )
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=new.to_dict())

    @lazy
    def pick_customer_or_perk(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, view = actor_of(context, body), body["view"]
        meta = ProposeModalMeta.load(view.get("private_metadata"))
        action = body["actions"][0]
        chosen = action["selected_option"]["value"] if action.get("selected_option") else None
        if action["action_id"] == Action.PICK_CUSTOMER:
            meta = ProposeModalMeta(
                client_key=meta.client_key,
                channel=meta.channel,
                customer_id=int(chosen) if chosen else None,
            )
            choices = _choices(deps, actor, meta)
        else:
            event = _selected(view, Field.EVENT)
            choices = _choices(
                deps, actor, meta, event_id=int(event) if event else None, item_id=chosen
            )
        client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=propose_modal(meta, choices).to_dict()
        )

    @lazy
    def mark_resolved(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor = actor_of(context, body)
        events.mark_resolved(ctx, actor, _value(body, EventRef).event_id, now=deps.clock())
        reply = notice(":white_check_mark: Marked resolved. You can propose a perk for it now.")
        reply_privately(
            {"body": body, "client": client, "context": context, "respond": respond}, reply
        )

    @lazy
    def no_gifts(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, ref = actor_of(context, body), _value(body, CustomerRef)
        customers.check_can_flag(ctx, actor)
        name = home.customer_name(ctx, actor.team_id, ref.customer_id)
        client.views_open(trigger_id=body["trigger_id"], view=no_gifts_modal(ref, name).to_dict())

    @lazy
    def allow_gifts(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, ref = actor_of(context, body), _value(body, CustomerRef)
        found = customers.set_no_gifts(
            ctx, actor, ref.customer_id, flag=False, reason=None, now=deps.clock()
        )
        reply = notice(f":white_check_mark: Gifts are allowed again for *{found.name}*.")
        reply_privately(
            {"body": body, "client": client, "context": context, "respond": respond}, reply
        )

    @lazy
    def show(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor = actor_of(context, body)
        if body["actions"][0]["action_id"] == Action.SHOW_BUDGET:
            message = budget_message(overview.budget(ctx, actor, now=deps.clock()))
        else:
            message = notes_list_message(home.open_notes(ctx, actor))
        reply_privately(
            {"body": body, "client": client, "context": context, "respond": respond}, message
        )

    for action_id, fn in (
        (Action.OPEN_EVENT, open_event),
        (Action.OPEN_PROPOSE, open_propose),
        (Action.PROPOSE_FOR_EVENT, open_propose),
        (Action.PICK_KIND, pick_kind),
        (Action.PICK_CUSTOMER, pick_customer_or_perk),
        (Action.PICK_PERK, pick_customer_or_perk),
        (Action.MARK_RESOLVED, mark_resolved),
        (Action.NO_GIFTS, no_gifts),
        (Action.ALLOW_GIFTS, allow_gifts),
        (Action.SHOW_BUDGET, show),
        (Action.SHOW_NOTES, show),
    ):
        app.action(action_id)(after_ack(deps, fn))

    @app.options(Action.PICK_CUSTOMER)
    def customer_options(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        found = home.search_customers(ctx, actor_of(context, body), body.get("value") or "")
        ack(options=[customer_option(c).to_dict() for c in found])

    @app.options(Action.PICK_PERK)
    def perk_options(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        event = _selected(body.get("view") or {}, Field.EVENT)
        choices = home.perk_choices(
            ctx,
            actor_of(context, body),
            int(event) if event else None,
            now=deps.clock(),
            query=body.get("value") or "",
        )
        ack(
            option_groups=[
                g.to_dict()
                for g in perk_option_groups(choices.suggested, choices.others, choices.currency)
            ]
        )


def _has_value(body: dict[str, Any]) -> bool:
    return bool(body["actions"][0].get("value"))


def _value(body: dict[str, Any], model: Any) -> Any:
    return model.load(body["actions"][0].get("value"))


def _selected(view: dict[str, Any], block: Field) -> str | None:
    from bot.forms import selected

    return selected((view.get("state") or {}).get("values") or {}, block)


def _choices(
    deps: Deps,
    actor: Actor,
    meta: ProposeModalMeta,
    *,
    event_id: int | None = None,
    item_id: str | None = None,
) -> ProposeChoices:
    """What the propose modal shows, from the customer (or event) chosen so far."""
    ctx, now = deps.ctx, deps.clock()
    currency = overview.budget(ctx, actor, now=now).currency
    if event_id is not None and meta.customer_id is None:
        meta.customer_id = events.get_event(ctx, actor, event_id).customer_id
    if meta.customer_id is None:
        return ProposeChoices(currency)
    found = home.customer_events(ctx, actor, meta.customer_id)
    item = ctx.catalog.get(item_id) if item_id else None
    return ProposeChoices(currency, found.customer, found.events, event_id, item)
