"""Parse the text after `/perk` into a sub-command. Pure; bad text raises CommandUsageError."""

import re
from dataclasses import dataclass, field

from bot.errors import CommandUsageError
from perks.errors import InvalidInput
from perks.export import Month, parse_month

SUBCOMMANDS = {
    "help",
    "event",
    "propose",
    "budget",
    "notes",
    "customer",
    "pending",
    "digest",
    "settings",
    "team",
    "export",
    "forget",
}
# With should_escape, Slack sends mentions as <@U123|name> (or <@U123>).
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class Command:
    name: str
    arg: str = ""
    users: tuple[str, ...] = field(default_factory=tuple)


def parse(text: str) -> Command:
    words = text.split()
    if not words:
        return Command("help")
    name, rest = words[0].lower(), words[1:]
    if name not in SUBCOMMANDS:
        raise CommandUsageError(f"I don't know `{name[:40]}`.")
    if name == "customer":
        if not rest:
            raise CommandUsageError("Say which customer: `/perk customer NAME`.")
        return Command(name, " ".join(rest))
    if name == "team":
        return _team(rest)
    if name == "forget":
        if not rest:
            raise CommandUsageError("Say which customer: `/perk forget NAME`.")
        return Command(name, " ".join(rest))
    if name == "export" and rest:
        return Command(name, str(_month(" ".join(rest))))
    if rest:
        raise CommandUsageError(f"`/perk {name}` takes no arguments.")
    return Command(name)


def _team(rest: list[str]) -> Command:
    if not rest:
        return Command("team")
    action, people = rest[0].lower(), rest[1:]
    expected = {"assign": 2, "unassign": 1}.get(action)
    if expected is None:
        raise CommandUsageError(f"`/perk team {action[:20]}` is not a team command.")
    if len(people) != expected:
        raise CommandUsageError(
            "Usage: `/perk team assign @rep @manager` or `/perk team unassign @rep`."
        )
    users = tuple(_user_id(p) for p in people)
    return Command(f"team {action}", users=users)


def _month(word: str) -> Month:
    try:
        return parse_month(word)
    except InvalidInput as exc:
        raise CommandUsageError(f"{exc.message} Usage: `/perk export [YYYY-MM]`.") from None


def _user_id(word: str) -> str:
    match = _MENTION.match(word)
    if not match:
        raise CommandUsageError(
            "Mention people with @ so Slack links them, e.g. `/perk team unassign @ana`."
        )
    return match.group(1)
