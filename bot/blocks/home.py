"""The App Home tab: the rep's own view, plus approvals and team budget for managers."""

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot import limits
from bot.blocks.common import actions, button, context, divider, fields, header, section
from bot.blocks.messages import approval_request_message, balance_line, customer_name, event_label
from bot.blocks.notes_blocks import note_task_blocks
from bot.blocks.text import escape, truncate
from bot.ids import Action
from bot.metadata import ProposalRef
from perks.home import HomeData
from perks.money import format_amount
from perks.roles import is_approver

MAX_NOTES = 5
MAX_APPROVALS = 8


def home_view(data: HomeData) -> View:
    b = data.budget
    blocks: list[Block] = [
        header(f"Perkbot · {b.period.label}"),
        fields([balance_line("Your allowance", b.rep, b.currency)]),
        actions(
            button("Log a life event", Action.OPEN_EVENT, style="primary"),
            button("Propose a perk", Action.OPEN_PROPOSE),
        ),
    ]
    if is_approver(data.role):
        blocks += _manager_part(data)
    blocks += _notes_part(data)
    blocks += _pending_part(data)
    blocks += _events_part(data)
    return View(type="home", blocks=blocks[: limits.MODAL_BLOCKS])


def _manager_part(data: HomeData) -> list[Block]:
    b = data.budget
    blocks: list[Block] = [
        divider(),
        header(f"Approvals waiting ({len(data.approvals)})"),
        fields([balance_line("Team budget", b.team, b.currency)]),
    ]
    for proposal, customer, event in data.approvals[:MAX_APPROVALS]:
        blocks += approval_request_message(proposal, customer, event).blocks[1:]
    if len(data.approvals) > MAX_APPROVALS:
        blocks.append(
            context(f"…and {len(data.approvals) - MAX_APPROVALS} more: `/perk pending` lists them.")
        )
    return blocks


def _notes_part(data: HomeData) -> list[Block]:
    blocks: list[Block] = [divider(), header(f"Your handwritten notes ({len(data.notes)})")]
    if not data.notes:
        return [*blocks, context("No open notes.")]
    for task, name in data.notes[:MAX_NOTES]:
        blocks += note_task_blocks(task, name, wording_chars=300)
    if len(data.notes) > MAX_NOTES:
        blocks.append(
            context(f"…and {len(data.notes) - MAX_NOTES} more: `/perk notes` lists them.")
        )
    return blocks


def _pending_part(data: HomeData) -> list[Block]:
    if not data.my_pending:
        return []
    blocks: list[Block] = [divider(), header("Your proposals waiting")]
    for proposal, customer, _event in data.my_pending[:MAX_NOTES]:
        amount = format_amount(proposal.amount, proposal.currency)
        text = f"{amount} · {escape(truncate(proposal.description, 200))} for {customer_name(customer)}"
        blocks.append(
            section(
                text,
                accessory=button(
                    "Cancel", Action.CANCEL, ProposalRef(proposal_id=proposal.id or 0)
                ),
            )
        )
    return blocks


def _events_part(data: HomeData) -> list[Block]:
    lines = [f"• {event_label(e)} · {customer_name(c)}" for e, c in data.recent_events]
    return [
        divider(),
        header("Recent life events you logged"),
        section("\n".join(lines) or "_None yet._"),
    ]
