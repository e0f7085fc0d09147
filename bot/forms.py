"""View state -> typed domain forms. Only parsing here; the rules live in perks/."""

from datetime import date
from typing import Any

from bot.blocks.inputs import YES
from bot.blocks.propose_modal import CUSTOM
from bot.ids import Field
from bot.metadata import EventModalMeta, ProposeModalMeta
from perks.admin import SettingsForm
from perks.errors import InvalidInput
from perks.events import EventForm
from perks.kinds import EventKind
from perks.proposals import ProposalForm

State = dict[str, dict[str, dict[str, Any]]]


def _element(state: State, block: Field) -> dict[str, Any]:
    """The one element of an input block, whatever its action_id is now."""
    actions = state.get(block.value) or {}
    return next(iter(actions.values()), {})


def text(state: State, block: Field) -> str:
    return _element(state, block).get("value") or ""


def selected(state: State, block: Field) -> str | None:
    option = _element(state, block).get("selected_option")
    return option.get("value") if option else None


def ticked(state: State, block: Field) -> bool | None:
    """True/False for a checkbox, None when the block is not in the view."""
    element = _element(state, block)
    if not element:
        return None
    return any(o.get("value") == YES for o in element.get("selected_options") or [])


def picked_date(state: State, block: Field) -> date | None:
    value = _element(state, block).get("selected_date")
    return date.fromisoformat(value) if value else None


def event_form(state: State, meta: EventModalMeta) -> EventForm:
    kind = selected(state, Field.KIND)
    if kind not in EventKind.__members__.values():
        raise InvalidInput("Life event is required.", field=Field.KIND)
    return EventForm(
        customer=text(state, Field.CUSTOMER),
        company=text(state, Field.COMPANY),
        kind=EventKind(kind),
        event_date=picked_date(state, Field.DATE),
        notes=text(state, Field.NOTES),
        recurring=ticked(state, Field.RECURRING),
        resolved=ticked(state, Field.RESOLVED),
        just_a_note=bool(ticked(state, Field.JUST_A_NOTE)),
        permalink=meta.permalink,
        client_key=meta.client_key,
        allow_duplicate=meta.allow_duplicate,
    )


def proposal_form(state: State, meta: ProposeModalMeta) -> ProposalForm:
    if not selected(state, Field.CUSTOMER) and meta.customer_id is None:
        raise InvalidInput("Customer is required.", field=Field.CUSTOMER)
    event = selected(state, Field.EVENT)
    if not event:
        raise InvalidInput(
            "Pick one of the customer's life events (log one first if there is none).",
            field=Field.CUSTOMER,
        )
    perk = selected(state, Field.PERK)
    if not perk:
        raise InvalidInput("Perk is required: pick one, or a custom perk.", field=Field.PERK)
    return ProposalForm(
        event_id=int(event),
        item_id=None if perk == CUSTOM else perk,
        amount=text(state, Field.AMOUNT),
        description=text(state, Field.DESCRIPTION),
        handwritten_note=ticked(state, Field.HANDWRITTEN_NOTE) is not False,
        note_idea=text(state, Field.NOTE_IDEA),
        client_key=meta.client_key,
    )


def settings_form(state: State) -> SettingsForm:
    users = _element(state, Field.MANAGERS).get("selected_users")
    day = selected(state, Field.DIGEST_DAY)
    return SettingsForm(
        managers=list(users or []),
        approvals_channel=_element(state, Field.APPROVALS_CHANNEL).get("selected_conversation")
        or "",
        digest_channel=_element(state, Field.DIGEST_CHANNEL).get("selected_conversation") or "",
        currency=text(state, Field.CURRENCY),
        budget_period=selected(state, Field.BUDGET_PERIOD),
        team_budget=text(state, Field.TEAM_BUDGET),
        rep_allowance=text(state, Field.REP_ALLOWANCE),
        auto_approve_limit=text(state, Field.AUTO_APPROVE_LIMIT),
        customer_cap=text(state, Field.CUSTOMER_CAP),
        max_perk=text(state, Field.MAX_PERK),
        timezone=text(state, Field.TIMEZONE),
        digest_day=int(day) if day is not None else None,
        digest_time=_element(state, Field.DIGEST_TIME).get("selected_time"),
    )


def reason(state: State) -> str:
    return text(state, Field.REASON)
