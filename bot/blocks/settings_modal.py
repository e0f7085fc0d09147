"""The **Perkbot settings** modal (SPEC §3), pre-filled with the workspace's values."""

from slack_sdk.models.blocks import (
    ConversationSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.common import option
from bot.blocks.inputs import field, modal, select, text_input
from bot.ids import Action, Callback, Field
from perks.money import format_plain
from storage.models import Workspace

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONEY = [
    (Field.TEAM_BUDGET, "Team budget", "Per budget period, for the whole workspace."),
    (Field.REP_ALLOWANCE, "Rep allowance", "Per rep and budget period."),
    (Field.AUTO_APPROVE_LIMIT, "Auto-approve up to", "Perks up to this need nobody's yes."),
    (Field.CUSTOMER_CAP, "Per-customer cap", "Per customer over a rolling 365 days."),
    (Field.MAX_PERK, "Largest perk", "No single perk may cost more."),
]


def settings_modal(ws: Workspace, managers: list[str]) -> View:
    blocks = [
        field(
            Field.MANAGERS,
            "Managers",
            UserMultiSelectElement(action_id=Action.INPUT, initial_users=managers or None),
            optional=True,
            hint="Managers approve perks and get the digest. Admins approve too.",
        ),
        _channel(
            Field.APPROVALS_CHANNEL,
            "Approvals channel",
            ws.approvals_channel,
            "Requests of reps without a manager go here.",
        ),
        _channel(
            Field.DIGEST_CHANNEL,
            "Digest channel",
            ws.digest_channel,
            "The weekly digest is posted here.",
        ),
        field(
            Field.CURRENCY,
            "Currency",
            text_input(initial=ws.currency, max_length=3),
            hint="ISO 4217 code, e.g. USD",
        ),
        field(
            Field.BUDGET_PERIOD,
            "Budget period",
            select([option("Month", "month"), option("Week", "week")], initial=ws.budget_period),
        ),
    ]
    for block_id, label, hint in MONEY:
        current = format_plain(getattr(ws, block_id.value), ws.currency)
        blocks.append(field(block_id, label, text_input(initial=current, max_length=20), hint=hint))
    blocks += [
        field(
            Field.TIMEZONE,
            "Timezone",
            text_input(initial=ws.timezone, max_length=64),
            hint="IANA name, e.g. Europe/Berlin",
        ),
        field(
            Field.DIGEST_DAY,
            "Digest day",
            select([option(d, str(i)) for i, d in enumerate(DAYS)], initial=str(ws.digest_day)),
        ),
        field(
            Field.DIGEST_TIME,
            "Digest time",
            TimePickerElement(action_id=Action.INPUT, initial_time=ws.digest_time),
        ),
    ]
    return modal(Callback.SETTINGS, "Perkbot settings", blocks, submit="Save")


def _channel(block_id: Field, label: str, current: str | None, hint: str):  # type: ignore[no-untyped-def]
    element = ConversationSelectElement(
        action_id=Action.INPUT,
        initial_conversation=current,
        filter={"include": ["public", "private"], "exclude_bot_users": True},
    )
    return field(block_id, label, element, optional=True, hint=hint)
