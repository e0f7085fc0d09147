"""One place that turns errors into what a user sees (RELIABILITY 6).

A PerkError's message is meant for users; anything else is logged with its trace
under a short incident id, and the user sees only that id.
"""

import functools
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

from bot.blocks.common import Message
from bot.blocks.lists import usage_message
from bot.blocks.messages import notice
from bot.blocks.text import escape
from perks.errors import PerkError
from storage.db import DatabaseBusy

log = logging.getLogger("perkbot")
_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]+)&gt;")


def incident_id() -> str:
    return secrets.token_hex(4)


def user_message(exc: BaseException) -> Message:
    if isinstance(exc, CommandUsageError):
        return usage_message(str(exc))
    if isinstance(exc, DatabaseBusy):
        return notice(":hourglass: Perkbot is very busy right now. Please try again in a moment.")
    if isinstance(exc, PerkError):
        # Domain messages name people as <@U…>; everything else in them is escaped.
        return notice(":warning: " + _MENTION.sub(r"<@\1>", escape(exc.message)))
    incident = incident_id()
    log.error("incident %s: %s", incident, type(exc).__name__, exc_info=exc)
    return notice(
        f":warning: Something went wrong on our side (incident `{incident}`). Please try again."
    )


def modal_errors(exc: PerkError, valid_blocks: set[str], fallback: str) -> dict[str, str]:
    """`response_action: errors` keyed only by input blocks present in the view."""
    block = exc.field if exc.field in valid_blocks else fallback
    return {block: exc.message[:1500]}


class CommandUsageError(Exception):
    """`/perk` text that is not a known sub-command or has a bad argument."""


def guarded(
    reply: Callable[[dict[str, Any], Message], None],
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Wrap a lazy listener: errors become a private reply instead of a lost log line.

    Bolt routes only ack-phase errors to @app.error, so lazy work needs its own guard;
    both use `user_message`.
    """

    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(fn)  # Bolt injects arguments by fn's signature and finds it by name
        def run(**kwargs: Any) -> None:
            try:
                fn(**kwargs)
            except Exception as exc:  # noqa: BLE001 - every failure gets a private reply
                try:
                    reply(kwargs, user_message(exc))
                except Exception:
                    log.exception("could not tell the user about an error")

        return run

    return decorate
