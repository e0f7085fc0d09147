"""Note task messages with **Mark as sent**, **Snooze 1 day** and **Skip**."""

from slack_sdk.models.blocks import Block

from bot import limits
from bot.blocks.common import Message, actions, button, capped, context, header, section
from bot.blocks.text import escape, quote, truncate
from bot.ids import Action
from bot.metadata import NoteRef
from storage.models import NoteTask


def note_task_blocks(
    task: NoteTask, customer_name: str, *, wording_chars: int = 2900
) -> list[Block]:
    ref = NoteRef(task_id=task.id or 0)
    blocks: list[Block] = [
        section(
            f":envelope_with_arrow: Write a handwritten note to *{escape(truncate(customer_name, 200))}* · due {task.due_date:%a %d %b}"
        ),
    ]
    if task.wording:
        blocks.append(section(quote(task.wording, wording_chars)))
    blocks.append(
        actions(
            button("Mark as sent", Action.NOTE_SENT, ref, style="primary"),
            button("Snooze 1 day", Action.NOTE_SNOOZE, ref),
            button("Skip", Action.NOTE_SKIP, ref),
            block_id=f"note-{task.id}",
        )
    )
    return blocks


def note_task_message(task: NoteTask, customer_name: str) -> Message:
    return Message(
        f"Handwritten note to {escape(truncate(customer_name, 200))} due {task.due_date:%d %b}",
        note_task_blocks(task, customer_name),
    )


def notes_list_message(tasks: list[tuple[NoteTask, str]]) -> Message:
    if not tasks:
        return Message("No open note tasks.", [section("No open note tasks. :sparkles:")])
    blocks: list[Block] = [header(f"Your open notes ({len(tasks)})")]
    for task, name in tasks:
        blocks += note_task_blocks(task, name, wording_chars=300)
    per_task = 3
    cap = limits.MESSAGE_BLOCKS - (limits.MESSAGE_BLOCKS - 1) % per_task
    return Message(
        f"{len(tasks)} open note tasks", capped(blocks, cap, "More notes: open the App Home tab.")
    )


def note_done_message(task: NoteTask, customer_name: str) -> Message:
    word = {"sent": ":white_check_mark: Sent", "skipped": ":fast_forward: Skipped"}.get(
        task.status, task.status
    )
    lines = [f"{word}: handwritten note to *{escape(truncate(customer_name, 200))}*"]
    if task.skip_reason:
        lines.append(f"Reason: {escape(truncate(task.skip_reason, 1000))}")
    return Message(
        f"Note {task.status}", [section("\n".join(lines), block_id=f"note-done-{task.id}")]
    )


def snoozed_message(task: NoteTask, customer_name: str) -> Message:
    stamp = f"<!date^{int(task.remind_at.timestamp())}^{{date_short_pretty}} at {{time}}|tomorrow>"
    return Message(
        "Snoozed",
        [
            context(
                f":zzz: Snoozed: I'll remind you about *{escape(truncate(customer_name, 200))}* {stamp}."
            )
        ],
    )
