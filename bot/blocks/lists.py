"""Help, customer history, approvals waiting, and the team: private replies to /perk."""

from slack_sdk.models.blocks import Block

from bot import limits
from bot.blocks.common import Message, actions, button, capped, context, divider, header, section
from bot.blocks.messages import approval_request_message, customer_name, event_label, outcome_line
from bot.blocks.text import escape, truncate, user
from bot.ids import Action
from bot.metadata import CustomerRef, EventRef
from perks.admin import TeamView
from perks.customers import History
from perks.kinds import EventKind
from perks.money import format_amount
from storage.models import Customer, LifeEvent, Proposal

USAGE = (
    "Usage: `/perk [help | event | propose | budget | notes | customer NAME | pending | digest | "
    "settings | team | team assign @rep @manager | team unassign @rep | export [YYYY-MM] | "
    "forget NAME]`"
)


def help_message(*, manager: bool, admin: bool) -> Message:
    lines = [
        "*Perkbot* helps you notice customers' life events and send a small gift or note.",
        "• `/perk event` log a life event · `/perk propose` propose a perk",
        "• `/perk budget` your allowance · `/perk notes` your handwritten notes",
        "• `/perk customer NAME` a customer's history",
    ]
    if manager:
        lines.append(
            "• `/perk pending` approvals waiting · `/perk digest` this week's digest · `/perk team`"
        )
        lines.append("• `/perk export [YYYY-MM]` the month's perks as a CSV, in your DM")
    if admin:
        lines.append("• `/perk settings` budgets and channels · `/perk team assign @rep @manager`")
        lines.append("• `/perk forget NAME` erase a customer's personal data")
    return Message(
        "Perkbot help",
        [
            section("\n".join(lines)),
            actions(
                button("Log a life event", Action.OPEN_EVENT, style="primary"),
                button("Propose a perk", Action.OPEN_PROPOSE),
                button("My budget", Action.SHOW_BUDGET),
                button("My notes", Action.SHOW_NOTES),
            ),
        ],
    )


def usage_message(problem: str | None = None) -> Message:
    text = f"{escape(problem)}\n{USAGE}" if problem else USAGE
    return Message(text.replace("`", ""), [section(text)])


def _event_line(event: LifeEvent) -> str:
    line = f"• {event_label(event)} · logged by {user(event.logged_by)}"
    if event.notes:
        line += f"\n    _{escape(truncate(event.notes, 200))}_"
    return line


def _perk_line(p: Proposal) -> str:
    state = (
        ":hourglass_flowing_sand: pending"
        if p.status == "pending"
        else outcome_line(p).splitlines()[0]
    )
    return f"• {format_amount(p.amount, p.currency)} · {escape(truncate(p.description, 150))} · {state}"


def history_blocks(h: History, *, can_flag: bool) -> list[Block]:
    c = h.customer
    blocks: list[Block] = [header(f"{c.name}" + (f" · {c.company}" if c.company else ""))]
    if c.no_gifts:
        blocks.append(section(f":no_entry: *No gifts*: {escape(c.no_gifts_reason or '')}"))
    events = "\n".join(_event_line(e) for e in h.events[:15]) or "_none yet_"
    blocks.append(section(f"*Life events*\n{events}"))
    perks = "\n".join(_perk_line(p) for p in h.proposals[:15]) or "_none yet_"
    blocks.append(section(f"*Perks*\n{perks}"))
    notes = (
        "\n".join(f"• due {n.due_date:%d %b %Y} · {n.status}" for n in h.notes[:10]) or "_none yet_"
    )
    blocks.append(section(f"*Handwritten notes*\n{notes}"))
    unresolved = [e for e in h.events if e.kind == EventKind.SERVICE_RECOVERY and not e.resolved]
    # One button per action_id in a block: offer the latest unresolved issue.
    buttons = (
        [button("Mark resolved", Action.MARK_RESOLVED, EventRef(event_id=unresolved[0].id or 0))]
        if unresolved
        else []
    )
    if can_flag:
        ref = CustomerRef(customer_id=c.id or 0)
        buttons.append(
            button("Allow gifts", Action.ALLOW_GIFTS, ref)
            if c.no_gifts
            else button("No gifts", Action.NO_GIFTS, ref, style="danger")
        )
    if buttons:
        blocks.append(actions(*buttons, block_id=f"customer-{c.id}"))
    return blocks


def history_message(name: str, found: list[History], *, can_flag: bool) -> Message:
    if not found:
        return Message(
            f"No customer named {escape(truncate(name, 200))}.",
            [section(f"No customer named *{escape(truncate(name, 200))}* yet.")],
        )
    blocks: list[Block] = []
    for h in found:
        if blocks:
            blocks.append(divider())
        blocks += history_blocks(h, can_flag=can_flag)
    return Message(
        f"History of {escape(truncate(name, 200))}",
        capped(blocks, limits.MESSAGE_BLOCKS, "More customers of that name: add the company."),
    )


def pending_message(items: list[tuple[Proposal, Customer, LifeEvent | None]]) -> Message:
    if not items:
        return Message(
            "No approvals waiting for you.", [section("No approvals waiting for you. :tada:")]
        )
    blocks: list[Block] = [header(f"Approvals waiting ({len(items)})")]
    for shown, (proposal, customer, event) in enumerate(items):
        request = [divider(), *approval_request_message(proposal, customer, event).blocks[1:]]
        if len(blocks) + len(request) >= limits.MESSAGE_BLOCKS:  # keep one block for "more"
            blocks.append(
                context(f"…and {len(items) - shown} more, oldest first: see the App Home tab.")
            )
            break
        blocks += request
    return Message(f"{len(items)} approvals waiting", blocks)


def team_message(view: TeamView) -> Message:
    lines = [f"*Admins*: {', '.join(user(a) for a in view.admins) or '—'}"]
    lines.append(
        f"*Managers*: {', '.join(user(m) for m in view.managers) or '— (set them in /perk settings)'}"
    )
    for manager, reps in sorted(view.reports.items()):
        lines.append(f"{user(manager)} approves for {', '.join(user(r) for r in reps)}")
    return Message("Perkbot team", [section(truncate("\n".join(lines), limits.SECTION_TEXT))])


__all__ = [
    "customer_name",
    "help_message",
    "history_message",
    "pending_message",
    "team_message",
    "usage_message",
]
