"""Approve, Reject and Cancel buttons, and what follows a decision (SPEC §2, §3)."""

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.messages import (
    approval_outcome_message,
    decision_notice,
    notice,
    outcome_line,
    summary,
)
from bot.blocks.small_modals import reject_modal
from bot.ids import Action
from bot.listeners.common import (
    Deps,
    actor_of,
    after_ack,
    dm,
    lazy,
    log,
    publish_home,
    reply_privately,
)
from bot.listeners.router import Router
from bot.metadata import ProposalRef
from perks import decisions, deliveries
from perks.context import Actor
from perks.decisions import AlreadyDecidedProposal


def register(app: Router, deps: Deps) -> None:
    def deciding(use_case: Callable[..., object], name: str) -> Callable[..., None]:
        """A button listener running `use_case(ctx, actor, proposal_id, now=…)`."""

        def on_click(
            body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
        ) -> None:
            act = lambda actor, pid: use_case(deps.ctx, actor, pid, now=deps.clock())  # noqa: E731
            decide(deps, act, body=body, client=client, context=context, respond=respond)

        on_click.__name__ = name
        return lazy(on_click)

    on_approve = deciding(decisions.approve, "on_approve")
    on_cancel = deciding(decisions.cancel, "on_cancel")

    @lazy
    def on_reject(
        body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        actor, ref = actor_of(context, body), _ref(body)
        try:
            decisions.check_can_decide(deps.ctx, actor, ref.proposal_id)
        except AlreadyDecidedProposal:
            after_decision(deps, client, actor.team_id, ref.proposal_id)
            raise
        view = deliveries.proposal_view(deps.ctx, actor.team_id, ref.proposal_id)
        assert view is not None  # check_can_decide found it
        text = summary(view.proposal, view.customer, view.event)
        client.views_open(trigger_id=body["trigger_id"], view=reject_modal(ref, text).to_dict())

    app.action(Action.APPROVE)(after_ack(deps, on_approve))
    app.action(Action.REJECT)(after_ack(deps, on_reject))
    app.action(Action.CANCEL)(after_ack(deps, on_cancel))


def _ref(body: dict[str, Any]) -> ProposalRef:
    return ProposalRef.load(body["actions"][0].get("value"))


def decide(deps: Deps, act: Callable[[Actor, int], object], **kwargs: Any) -> None:
    """Run the decision, then bring every copy and person up to date."""
    body, client = kwargs["body"], kwargs["client"]
    actor, ref = actor_of(kwargs["context"], body), _ref(body)
    try:
        act(actor, ref.proposal_id)
    except AlreadyDecidedProposal:
        after_decision(deps, client, actor.team_id, ref.proposal_id)  # update stale copies
        raise  # the clicker is told privately who decided first
    after_decision(deps, client, actor.team_id, ref.proposal_id)
    if (body.get("container") or {}).get("is_ephemeral"):
        # Clicked in a private list (/perk pending): say so there; stored copies were updated.
        view = deliveries.proposal_view(deps.ctx, actor.team_id, ref.proposal_id)
        if view is not None:
            reply_privately(kwargs, notice(outcome_line(view.proposal)))
    publish_home(client, deps, actor)


def after_decision(deps: Deps, client: WebClient, team_id: str, proposal_id: int) -> None:
    """Update every copy of the approval request, tell the rep once, refresh their home."""
    found = deliveries.decided_and_copies(deps.ctx, team_id, proposal_id)
    if found is None or found[0].proposal.status == "pending":  # e.g. a refused reject
        return
    view, copies = found
    outcome = approval_outcome_message(view.proposal, view.customer, view.event).payload()
    for channel, ts in copies:
        try:
            client.chat_update(channel=channel, ts=ts, **outcome)
        except SlackApiError as exc:  # one stale copy must not stop the others
            log.warning(
                "could not update approval message %s/%s: %s",
                channel,
                ts,
                exc.response.get("error"),
            )
    if deliveries.claim_decision_notice(deps.ctx, team_id, proposal_id, now=deps.clock()):
        rep = view.proposal.rep_user_id  # a decided proposal changes no more: the view holds
        dm(client, rep, decision_notice(deliveries.as_decided(view)))
        publish_home(client, deps, Actor(team_id, rep))
