"""Modals with a single `Reason`: Reject perk, Skip note, No gifts."""

from slack_sdk.models.views import View

from bot.blocks.inputs import reason_modal
from bot.blocks.text import escape
from bot.ids import Callback
from bot.metadata import CustomerRef, NoteRef, ProposalRef


def reject_modal(ref: ProposalRef, summary: str) -> View:
    return reason_modal(
        Callback.REJECT,
        "Reject perk",
        f"Rejecting: {summary}\nThe rep will see your reason.",
        ref.dump(),
        "Reject",
    )


def skip_note_modal(ref: NoteRef, customer: str) -> View:
    return reason_modal(
        Callback.SKIP_NOTE,
        "Skip note",
        f"Skip the handwritten note for *{escape(customer)}*?",
        ref.dump(),
        "Skip",
    )


def no_gifts_modal(ref: CustomerRef, customer: str) -> View:
    return reason_modal(
        Callback.NO_GIFTS,
        "No gifts",
        f"Flag *{escape(customer)}* as no gifts. A free handwritten note stays possible.",
        ref.dump(),
        "Flag",
    )
