"""The weekly digest message (SPEC §2): the same builder posts it and previews it."""

from slack_sdk.models.blocks import Block

from bot import limits
from bot.blocks.common import Message, context, divider, fields, header, section
from bot.blocks.messages import customer_name, event_label
from bot.blocks.text import escape, truncate, user
from perks.budgets import Balance
from perks.digest import Digest
from perks.kinds import EventKind, label
from perks.money import format_amount

BAR_WIDTH = 20
STATUSES = [
    ("auto_approved", "Auto-approved"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("pending", "Pending"),
    ("expired", "Expired"),
]


def bar(used: int, budget: int) -> str:
    """A text bar of budget use, e.g. `▓▓▓▓▓░░░░░ 50%`."""
    share = used / budget if budget > 0 else (1.0 if used else 0.0)
    filled = min(BAR_WIDTH, round(share * BAR_WIDTH))
    return f"`{'▓' * filled}{'░' * (BAR_WIDTH - filled)}` {share:.0%}"


def _money(d: Digest, minor: int) -> str:
    return format_amount(minor, d.currency)


def _spend(d: Digest, b: Balance) -> str:
    return f"{bar(b.used, b.budget)}  {_money(d, b.committed)} spent · {_money(d, b.reserved)} pending of {_money(d, b.budget)}"


def digest_blocks(d: Digest) -> list[Block]:
    blocks: list[Block] = [
        header(f"Perkbot weekly digest · week of {d.week_start:%d %b %Y}"),
        section(f"*Team budget · {d.period.label}*\n{_spend(d, d.team)}"),
    ]
    reps = (
        "\n".join(f"{user(r.rep_user_id)} {_spend(d, r.balance)}" for r in d.reps)
        or "_No spend yet._"
    )
    if d.more_reps:
        reps += f"\n…and {d.more_reps} more"
    blocks.append(section(f"*Spend by rep*\n{reps}"))
    kinds = (
        ", ".join(f"{label(EventKind(k))}: {n}" for k, n in sorted(d.events_by_kind.items()))
        or "none"
    )
    perks = [
        (
            name,
            f"{d.perks_by_status.get(s, (0, 0))[0]} · {_money(d, d.perks_by_status.get(s, (0, 0))[1])}",
        )
        for s, name in STATUSES
    ]
    blocks += [section(f"*Life events last week*\n{kinds}"), fields(perks)]
    blocks.append(
        fields(
            [("Notes sent last week", str(d.notes_sent)), ("Notes overdue", str(d.notes_overdue))]
        )
    )
    blocks += _pending(d) + _highlights(d) + _upcoming(d) + _problems(d)
    return blocks


def _problems(d: Digest) -> list[Block]:
    """Messages Perkbot could not deliver (e.g. a removed channel), so someone can fix it."""
    if not d.problems:
        return []
    lines = "\n".join(f"• {escape(truncate(p, 200))}" for p in d.problems[:10])
    return [section(f":warning: *Messages Perkbot could not deliver*\n{lines}")]


def _pending(d: Digest) -> list[Block]:
    if not d.oldest_pending:
        return []
    lines = [
        f"• {_money(d, p.amount)} for {customer_name(c)} by {user(p.rep_user_id)} · since {p.created_at:%d %b}"
        for p, c in d.oldest_pending
    ]
    return [section("*Oldest pending approvals*\n" + "\n".join(lines))]


def _highlights(d: Digest) -> list[Block]:
    if not d.highlights:
        return []
    lines = [
        f":sparkles: {escape(truncate(p.description, 120))} for {customer_name(c)} · {event_label(e)} ({user(p.rep_user_id)})"
        for p, c, e in d.highlights
    ]
    return [divider(), section("*Highlights*\n" + "\n".join(lines))]


def _upcoming(d: Digest) -> list[Block]:
    if not d.upcoming:
        return [context("No birthdays or anniversaries in the next 14 days.")]
    lines = [
        f"• {day:%a %d %b}: {label(EventKind(e.kind))} of {customer_name(c)}"
        for day, e, c in d.upcoming[:20]
    ]
    if len(d.upcoming) > 20:
        lines.append(f"…and {len(d.upcoming) - 20} more")
    return [section("*Coming up in the next 14 days*\n" + "\n".join(lines))]


def digest_message(d: Digest) -> Message:
    used = f"{_money(d, d.team.used)} of {_money(d, d.team.budget)}"
    return Message(
        f"Perkbot weekly digest: {used} used this period", digest_blocks(d)[: limits.MESSAGE_BLOCKS]
    )


def digest_preview(d: Digest) -> Message:
    message = digest_message(d)
    message.blocks.insert(1, context(":eyes: Preview, only visible to you."))
    return message
