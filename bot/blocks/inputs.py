"""Input blocks and modal shells, with labels and lengths capped to Slack's limits."""

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot import limits
from bot.blocks.common import option, section
from bot.blocks.text import plain, truncate
from bot.ids import Action, Field

YES = "yes"


def field(
    block_id: Field,
    label: str,
    element: Any,
    *,
    optional: bool = False,
    hint: str | None = None,
    dispatch: bool = False,
) -> InputBlock:
    return InputBlock(
        block_id=block_id.value,
        label=plain(label, limits.INPUT_LABEL),
        element=element,
        optional=optional,
        hint=plain(hint, limits.INPUT_LABEL) if hint else None,
        dispatch_action=dispatch or None,
    )


def text_input(
    *,
    initial: str | None = None,
    max_length: int | None = None,
    multiline: bool = False,
    placeholder: str | None = None,
    action_id: str = Action.INPUT,
) -> PlainTextInputElement:
    if initial and max_length:
        initial = initial[:max_length]
    return PlainTextInputElement(
        action_id=action_id,
        initial_value=initial or None,
        max_length=max_length,
        multiline=multiline or None,
        placeholder=plain(placeholder, limits.PLACEHOLDER) if placeholder else None,
    )


def tick(text: str, *, checked: bool, action_id: str = Action.INPUT) -> CheckboxesElement:
    """A single checkbox; its action_id may vary so a views.update can reset it."""
    box = option(text, YES)
    return CheckboxesElement(
        action_id=action_id, options=[box], initial_options=[box] if checked else None
    )


def select(
    options: list[Option],
    *,
    initial: str | None = None,
    placeholder: str = "Choose…",
    action_id: str = Action.INPUT,
) -> StaticSelectElement:
    options = options[: limits.OPTIONS]
    chosen = next((o for o in options if o.value == initial), None)
    return StaticSelectElement(
        action_id=action_id,
        options=options,
        initial_option=chosen,
        placeholder=plain(placeholder, limits.PLACEHOLDER),
    )


def modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    *,
    submit: str | None = "Submit",
    metadata: str = "",
) -> View:
    return View(
        type="modal",
        callback_id=callback_id,
        title=PlainTextObject(text=plain(title, limits.MODAL_TITLE)),
        submit=PlainTextObject(text=plain(submit, limits.MODAL_TITLE)) if submit else None,
        close=PlainTextObject(text="Cancel"),
        blocks=blocks[: limits.MODAL_BLOCKS],
        private_metadata=truncate(metadata, limits.PRIVATE_METADATA) or None,
    )


def reason_modal(callback_id: str, title: str, intro: str, metadata: str, submit: str) -> View:
    """Reject perk, Skip note, No gifts: one required `Reason`."""
    return modal(
        callback_id,
        title,
        [
            section(intro),
            field(Field.REASON, "Reason", text_input(max_length=1000, multiline=True)),
        ],
        submit=submit,
        metadata=metadata,
    )
