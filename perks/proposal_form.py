"""What a proposal's modal holds, and the rules its fields follow on their own: checked
before the ack (`check_form`) and again inside the proposing transaction."""

from dataclasses import dataclass

from perks.approval import check_amount
from perks.catalog import CatalogItem
from perks.context import Ctx
from perks.errors import InvalidInput
from perks.money import parse_amount
from storage.models import Workspace

DESCRIPTION_MAX = 300
NOTE_IDEA_MAX = 1000


@dataclass(frozen=True)
class ProposalForm:
    event_id: int
    item_id: str | None = None  # None: a custom perk, described in `description`
    amount: str = ""  # as typed; empty takes the catalog price
    description: str = ""
    handwritten_note: bool = True
    note_idea: str = ""
    client_key: str | None = None


def check_form(ctx: Ctx, form: ProposalForm, ws: Workspace) -> None:
    """What a submission can be told at once, from its fields and the settings alone
    (the lengths, SPEC §2 step 1). `propose_perk` checks it all again in its transaction."""
    texts(form)
    item = catalog_item(ctx, form.item_id)
    free_note = item is not None and item.id == ctx.catalog.note_item.id
    amount = 0 if free_note else amount_of(form.amount, item, ws.currency)
    check_amount(amount, free_note=free_note, max_perk=ws.max_perk, currency=ws.currency)


def texts(form: ProposalForm) -> tuple[str, str]:
    """The description and note idea, trimmed and within their lengths."""
    description = form.description.strip()
    note_idea = form.note_idea.strip()
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput(
            f"Description must be at most {DESCRIPTION_MAX} characters.", field="description"
        )
    if len(note_idea) > NOTE_IDEA_MAX:
        raise InvalidInput(
            f"Note idea must be at most {NOTE_IDEA_MAX} characters.", field="note_idea"
        )
    return description, note_idea


def catalog_item(ctx: Ctx, item_id: str | None) -> CatalogItem | None:
    if not item_id:
        return None
    item = ctx.catalog.get(item_id)
    if item is None or not item.active:
        raise InvalidInput("That perk is no longer in the catalog; pick another.", field="perk")
    return item


def amount_of(text: str, item: CatalogItem | None, currency: str) -> int:
    if not text.strip():
        if item is None:
            raise InvalidInput("Amount is required for a custom perk.", field="amount")
        return item.cost_minor(currency)
    return parse_amount(text, currency)
