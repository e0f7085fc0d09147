"""The **Propose a perk** modal (SPEC §3): customer, their recent events, catalog perks."""

from dataclasses import dataclass
from dataclasses import field as dc_field

from slack_sdk.models.blocks import ExternalDataSelectElement, Option, OptionGroup, PlainTextObject
from slack_sdk.models.views import View

from bot import limits
from bot.blocks.common import context, option, section
from bot.blocks.inputs import field, modal, select, text_input, tick
from bot.blocks.messages import event_label
from bot.blocks.text import escape, plain
from bot.ids import Action, Callback, Field
from bot.metadata import ProposeModalMeta
from perks.catalog import CatalogItem
from perks.money import format_amount, format_plain
from perks.proposal_form import DESCRIPTION_MAX, NOTE_IDEA_MAX
from storage.models import Customer, LifeEvent

TITLE = "Propose a perk"
CUSTOM = "custom"


@dataclass(frozen=True)
class ProposeChoices:
    """What the modal shows: filled in step by step as the rep picks."""

    currency: str
    customer: Customer | None = None
    events: list[LifeEvent] = dc_field(default_factory=list)
    event_id: int | None = None
    item: CatalogItem | None = None


def customer_option(customer: Customer) -> Option:
    text = f"{customer.name} ({customer.company})" if customer.company else customer.name
    return option(text, str(customer.id))


def perk_option(item: CatalogItem | None, currency: str) -> Option:
    if item is None:
        return option("Custom perk (describe it below)", CUSTOM)
    return option(f"{item.name} · {format_amount(item.cost_minor(currency), currency)}", item.id)


def perk_option_groups(
    suggested: list[CatalogItem], others: list[CatalogItem], currency: str
) -> list[OptionGroup]:
    """Suggestions first, then the rest, then a custom perk; at most 100 options in all."""
    room = limits.OPTIONS - 1
    groups = []
    for title, items in (("Suggested for this event", suggested), ("Other perks", others)):
        chosen = items[:room]
        room -= len(chosen)
        if chosen:
            groups.append(
                OptionGroup(
                    label=plain(title, 75), options=[perk_option(i, currency) for i in chosen]
                )
            )
    groups.append(OptionGroup(label="Something else", options=[perk_option(None, currency)]))
    return groups


def propose_modal(meta: ProposeModalMeta, choices: ProposeChoices) -> View:
    customer = choices.customer
    blocks = [
        field(
            Field.CUSTOMER,
            "Customer",
            ExternalDataSelectElement(
                action_id=Action.PICK_CUSTOMER,
                placeholder=PlainTextObject(text="Type a name…"),
                min_query_length=1,
                initial_option=customer_option(customer) if customer else None,
            ),
            dispatch=True,
        )
    ]
    if customer is None:
        blocks.append(context("Pick a customer to see their recent life events."))
        return modal(Callback.PROPOSE, TITLE, blocks, submit="Propose", metadata=meta.dump())
    if customer.no_gifts:
        reason = escape(customer.no_gifts_reason or "")
        blocks.append(
            section(
                f":no_entry: *No gifts* for this customer: {reason}. A handwritten note is still welcome."
            )
        )
    blocks += _event_and_perk(choices)
    return modal(Callback.PROPOSE, TITLE, blocks, submit="Propose", metadata=meta.dump())


def _event_and_perk(choices: ProposeChoices) -> list:  # type: ignore[type-arg]
    if not choices.events:
        return [
            section(
                "No life events logged for this customer yet: log one first with `/perk event`."
            )
        ]
    events = [option(event_label(e), str(e.id)) for e in choices.events]
    item, currency = choices.item, choices.currency
    initial_event = str(choices.event_id) if choices.event_id else str(choices.events[0].id)
    amount_hint = "Leave empty to use the catalog price." if item else f"In {currency}, e.g. 25.00"
    return [
        field(
            Field.EVENT,
            "Life event",
            select(events, initial=initial_event),
            hint="The customer's recent events",
        ),
        field(
            Field.PERK,
            "Perk",
            ExternalDataSelectElement(
                action_id=Action.PICK_PERK,
                placeholder=PlainTextObject(text="Suggestions first…"),
                min_query_length=0,
                initial_option=perk_option(item, currency) if item else None,
            ),
            dispatch=True,
        ),
        field(
            Field.AMOUNT,
            "Amount",
            # A new action_id per perk, so that choosing a perk refills the amount.
            text_input(
                initial=format_plain(item.cost_minor(currency), currency) if item else None,
                max_length=20,
                action_id=f"amount_{item.id if item else CUSTOM}",
            ),
            optional=True,
            hint=amount_hint,
        ),
        field(
            Field.DESCRIPTION,
            "Description",
            text_input(max_length=DESCRIPTION_MAX),
            optional=True,
            hint="Needed for a custom perk: what will you send?",
        ),
        field(
            Field.HANDWRITTEN_NOTE,
            "Handwritten note",
            tick("Remind me to write a handwritten note", checked=True),
            optional=True,
        ),
        field(
            Field.NOTE_IDEA,
            "Note idea",
            text_input(max_length=NOTE_IDEA_MAX, multiline=True),
            optional=True,
            hint="Your own words for the note, if you have some.",
        ),
    ]
