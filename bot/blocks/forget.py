"""`/perk forget NAME`: the private confirmation with a Forget button, and what follows."""

from slack_sdk.models.blocks import Block

from bot import limits
from bot.blocks.common import Message, actions, button, capped, confirm, context, section
from bot.blocks.text import escape, truncate
from bot.ids import Action
from bot.metadata import CustomerRef
from perks.erasure import Candidate, Forgotten

WHAT_GOES = (
    "This erases their name, company, event notes, note wording and what was typed about "
    "them. Perk amounts stay, anonymised, so budgets still add up. It can't be undone."
)


def _who(c: Candidate) -> str:
    company = f" ({escape(truncate(c.company, 200))})" if c.company else ""
    return f"*{escape(truncate(c.name, 200))}*{company}"


def forget_message(name: str, found: list[Candidate]) -> Message:
    if not found:
        shown = escape(truncate(name, 200))
        return Message(f"No customer named {shown}.", [section(f"No customer named *{shown}*.")])
    blocks: list[Block] = [section(WHAT_GOES)]
    for c in found:
        ask = confirm(
            "Forget this customer?",
            f"Erase the personal data of {escape(truncate(c.name, 150))} for good?",
            "Forget",
        )
        blocks.append(section(f"Forget {_who(c)}?"))
        blocks.append(
            actions(
                button(
                    "Forget",
                    Action.FORGET,
                    CustomerRef(customer_id=c.customer_id),
                    style="danger",
                    confirm=ask,
                ),
                block_id=f"forget-{c.customer_id}",
            )
        )
    more = "More customers of that name: forget them one by one."
    return Message("Forget a customer?", capped(blocks, limits.MESSAGE_BLOCKS, more))


def forgotten_message(done: Forgotten) -> Message:
    """Replaces the confirmation; it names nobody, the data is gone."""
    return Message(
        "Customer forgotten.",
        [
            section(":wastebasket: Customer forgotten."),
            context(
                f"Erased {done.events} events, {done.proposals} perks and {done.notes} notes; "
                "amounts kept in the ledger."
            ),
        ],
    )
