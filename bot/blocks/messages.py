"""Pure builders for the messages about events and proposals."""

from bot.blocks.common import Message, actions, button, confirm, context, fields, header, section
from bot.blocks.text import escape, quote, truncate, user, when
from bot.ids import Action
from bot.metadata import EventRef, ProposalRef
from perks.approval import Why
from perks.budgets import Balance
from perks.decisions import Decided
from perks.deliveries import ProposalView
from perks.events import EventLogged
from perks.kinds import EventKind, label
from perks.money import format_amount
from perks.overview import BudgetView
from perks.proposals import Status
from storage.models import Customer, LifeEvent, Proposal

NAME_CHARS = 200


def customer_name(customer: Customer) -> str:
    """Bold, escaped name with the company in brackets."""
    name = f"*{escape(customer.name)}*"
    return f"{name} ({escape(customer.company)})" if customer.company else name


def event_label(event: LifeEvent | None) -> str:
    if event is None:
        return "no life event"
    return f"{label(EventKind(event.kind))} on {event.event_date:%d %b %Y}"


def balance_line(name: str, b: Balance, currency: str) -> tuple[str, str]:
    fmt = lambda m: format_amount(m, currency)  # noqa: E731
    return (
        name,
        f"{fmt(b.budget)} budget · {fmt(b.committed)} spent · {fmt(b.reserved)} pending · "
        f"*{fmt(b.remaining)} left*",
    )


def budget_message(view: BudgetView) -> Message:
    rep = balance_line("Your allowance", view.rep, view.currency)
    team = balance_line("Team budget", view.team, view.currency)
    text = f"{rep[0]}: {rep[1]}\n{team[0]}: {team[1]}".replace("*", "")
    return Message(text, [header(f"Budget · {view.period.label}"), fields([rep, team])])


def event_logged_message(result: EventLogged) -> Message:
    event, customer = result.event, result.customer
    blocks = [section(f":memo: Logged *{event_label(event)}* for {customer_name(customer)}.")]
    if event.notes:
        blocks.append(section(quote(event.notes, 2900)))
    if result.note_task is not None:
        blocks.append(context(f"Note task created: due {result.note_task.due_date:%a %d %b}."))
    ref = EventRef(event_id=event.id or 0)
    if event.kind == EventKind.SERVICE_RECOVERY and not event.resolved:
        blocks.append(context("A perk can be proposed once the issue is resolved."))
        blocks.append(actions(button("Mark resolved", Action.MARK_RESOLVED, ref, style="primary")))
    else:
        blocks.append(
            actions(button("Propose a perk", Action.PROPOSE_FOR_EVENT, ref, style="primary"))
        )
    return Message(f"Logged {event_label(event)} for {escape(customer.name)}.", blocks)


def summary(proposal: Proposal, customer: Customer, event: LifeEvent | None) -> str:
    amount = format_amount(proposal.amount, proposal.currency)
    return (
        f"{user(proposal.rep_user_id)} proposes *{amount}* · {escape(truncate(proposal.description, 300))}\n"
        f"for {customer_name(customer)} · {event_label(event)}"
    )


def _reasons(proposal: Proposal) -> str:
    names = [n for n in proposal.approval_reasons.split(",") if n in Why.__members__]
    return ", ".join(Why[n].value for n in names) or "needs a manager's yes"


def approval_request_message(
    proposal: Proposal, customer: Customer, event: LifeEvent | None
) -> Message:
    ref = ProposalRef(proposal_id=proposal.id or 0)
    blocks = [
        header("Perk approval needed"),
        section(summary(proposal, customer, event), block_id=f"req-{proposal.id}"),
        context(f"Needs approval: {_reasons(proposal)} · proposed {when(proposal.created_at)}"),
    ]
    if proposal.note_idea:
        blocks.append(context(f"Note idea: {escape(truncate(proposal.note_idea, 1500))}"))
    approve = confirm("Approve this perk?", "The amount is committed from the budget.", "Approve")
    blocks.append(
        actions(
            button("Approve", Action.APPROVE, ref, style="primary", confirm=approve),
            button("Reject", Action.REJECT, ref, style="danger"),
            block_id=f"decide-{proposal.id}",
        )
    )
    amount = format_amount(proposal.amount, proposal.currency)
    return Message(f"Perk approval needed: {amount} for {escape(customer.name)}", blocks)


_OUTCOME = {
    Status.APPROVED: ":white_check_mark: Approved",
    Status.AUTO_APPROVED: ":white_check_mark: Auto-approved",
    Status.REJECTED: ":x: Rejected",
    Status.CANCELLED: ":leftwards_arrow_with_hook: Cancelled",
    Status.EXPIRED: ":hourglass: Expired after 72 hours",
}


def outcome_line(proposal: Proposal) -> str:
    line = _OUTCOME.get(Status(proposal.status), proposal.status)
    if (
        proposal.status in (Status.APPROVED, Status.REJECTED, Status.CANCELLED)
        and proposal.decided_by
    ):
        line += f" by {user(proposal.decided_by)}"
    if proposal.decided_at:
        line += f" · {when(proposal.decided_at)}"
    if proposal.decision_reason:
        line += f"\nReason: {escape(truncate(proposal.decision_reason, 1000))}"
    return line


def approval_outcome_message(
    proposal: Proposal, customer: Customer, event: LifeEvent | None
) -> Message:
    """The approval request after a decision: the outcome, and no buttons (new block ids)."""
    blocks = [
        header("Perk decided"),
        section(summary(proposal, customer, event), block_id=f"done-{proposal.id}"),
        section(outcome_line(proposal), block_id=f"outcome-{proposal.id}"),
    ]
    return Message(f"Perk {proposal.status.replace('_', '-')}: {escape(customer.name)}", blocks)


def not_proposed_message(description: str, reason: str) -> Message:
    """A submission the transaction refused after the modal had closed."""
    what = f" ({escape(description.strip())})" if description.strip() else ""
    return notice(f":warning: Your perk{what} was not proposed: {escape(reason)}")


def proposal_submitted_message(made: ProposalView, allowance_left: int) -> Message:
    """The rep's confirmation: auto-approved, or waiting (with a Cancel button)."""
    p = made.proposal
    amount = format_amount(p.amount, p.currency)
    blocks = [section(summary(p, made.customer, made.event))]
    if p.status == Status.AUTO_APPROVED:
        blocks.append(
            section(":white_check_mark: *Auto-approved.* Thank you for taking care of them.")
        )
        text = f"Auto-approved: {amount} for {escape(made.customer.name)}"
    else:
        blocks.append(section(f":hourglass_flowing_sand: *Waiting for approval* ({_reasons(p)})."))
        ref = ProposalRef(proposal_id=p.id or 0)
        cancel = confirm(
            "Cancel this proposal?", "The reserved amount is released.", "Cancel it", "Keep it"
        )
        blocks.append(actions(button("Cancel proposal", Action.CANCEL, ref, confirm=cancel)))
        text = f"Waiting for approval: {amount} for {escape(made.customer.name)}"
    if made.note_task is not None:
        blocks.append(context(f"Handwritten note due {made.note_task.due_date:%a %d %b}."))
    blocks.append(
        context(f"Your allowance left this period: {format_amount(allowance_left, p.currency)}")
    )
    return Message(text, blocks)


def decision_notice(decided: Decided) -> Message:
    """Tells the rep what happened to their proposal, who decided and why."""
    p = decided.proposal
    blocks = [section(summary(p, decided.customer, decided.event)), section(outcome_line(p))]
    if decided.note_task is not None:
        blocks.append(
            context(f"Handwritten note due {decided.note_task.due_date:%a %d %b}; I'll remind you.")
        )
    amount = format_amount(p.amount, p.currency)
    return Message(
        f"Your perk of {amount} for {escape(decided.customer.name)} was {p.status}.", blocks
    )


def notice(text: str) -> Message:
    """A one-line private reply. `text` is our own words (already escaped if it holds input)."""
    return Message(text.replace("*", ""), [section(text)])


def coming_up_message(event: LifeEvent, customer: Customer, occurrence: object) -> Message:
    """The "coming up in 7 days" heads-up for a birthday or anniversary."""
    what = label(EventKind(event.kind))
    text = f":calendar: Coming up in 7 days: {what.lower()} of {customer_name(customer)} on {occurrence:%A %d %B}."
    ref = EventRef(event_id=event.id or 0)
    blocks = [
        section(text),
        actions(button("Propose a perk", Action.PROPOSE_FOR_EVENT, ref, style="primary")),
    ]
    return Message(f"Coming up: {what} of {escape(customer.name)}", blocks)


def reminder_of_request(proposal: Proposal, customer: Customer, event: LifeEvent | None) -> Message:
    """The approval request again, after 24 hours without a decision."""
    message = approval_request_message(proposal, customer, event)
    message.blocks.insert(1, context(":alarm_clock: Still waiting after 24 hours."))
    message.text = "Reminder: " + message.text
    return message
