"""The **Log a life event** modal (SPEC §3)."""

from slack_sdk.models.blocks import DatePickerElement, InputBlock
from slack_sdk.models.views import View

from bot.blocks.common import context, option, section
from bot.blocks.inputs import field, modal, select, text_input, tick
from bot.blocks.text import escape, user, when
from bot.ids import Action, Callback, Field
from bot.metadata import EventModalMeta
from perks.events import NOTES_MAX, EarlierEvent, EventForm
from perks.kinds import KINDS, EventKind, label, recurs_by_default

TITLE = "Log a life event"


def log_event_modal(
    meta: EventModalMeta,
    *,
    kind: EventKind | None = None,
    notes: str | None = None,
    duplicate: EarlierEvent | None = None,
    typed: EventForm | None = None,
) -> View:
    """`typed` refills what the person entered when the modal is shown again (duplicates)."""
    kind = typed.kind if typed else kind
    blocks = [_duplicate_warning(duplicate)] if duplicate is not None else []
    blocks += [
        field(
            Field.CUSTOMER,
            "Customer",
            text_input(initial=typed and typed.customer, max_length=200, placeholder="Full name"),
        ),
        field(
            Field.COMPANY,
            "Company",
            text_input(initial=typed and typed.company, max_length=200),
            optional=True,
        ),
        field(
            Field.KIND,
            "Life event",
            select(
                [option(i.label, k.value) for k, i in KINDS.items()],
                initial=kind.value if kind else None,
                action_id=Action.PICK_KIND,
            ),
            dispatch=True,
        ),
        field(
            Field.DATE,
            "Date",
            DatePickerElement(
                action_id=Action.INPUT,
                initial_date=typed.event_date.isoformat() if typed and typed.event_date else None,
            ),
            optional=True,
            hint="Leave empty for today. Up to a year before or after today.",
        ),
        field(
            Field.NOTES,
            "Notes",
            text_input(
                initial=typed.notes if typed else notes, max_length=NOTES_MAX, multiline=True
            ),
            optional=True,
        ),
        _recurring(kind, typed.recurring if typed else None),
    ]
    if kind is EventKind.SERVICE_RECOVERY:
        resolved = tick("Yes, the issue is fixed", checked=bool(typed and typed.resolved))
        blocks.append(field(Field.RESOLVED, "Issue resolved", resolved, optional=True))
    just_note = tick("No gift: only a handwritten note", checked=bool(typed and typed.just_a_note))
    blocks.append(field(Field.JUST_A_NOTE, "Just a note", just_note, optional=True))
    if meta.permalink:
        blocks.append(context(f"From <{escape(meta.permalink)}|this message>"))
    submit = "Save anyway" if duplicate else "Save"
    return modal(Callback.LOG_EVENT, TITLE, blocks, submit=submit, metadata=meta.dump())


def _duplicate_warning(duplicate: EarlierEvent):  # type: ignore[no-untyped-def]
    return section(
        f":warning: This customer already has a *{label(duplicate.kind).lower()}* event, "
        f"logged by {user(duplicate.logged_by)} {when(duplicate.logged_at)}. "
        "Submit again to save this one anyway."
    )


def _recurring(kind: EventKind | None, typed: bool | None) -> InputBlock:
    # A distinct action_id per kind, so a views.update after a kind change resets the default.
    on = typed if typed is not None else (recurs_by_default(kind) if kind else False)
    box = tick("Remind me every year", checked=on, action_id=f"recurring_{kind or 'none'}")
    return field(Field.RECURRING, "Repeats every year", box, optional=True)
