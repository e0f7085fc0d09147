"""Small constructors over slack_sdk.models that apply Slack's limits as they build."""

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
)

from bot import limits
from bot.blocks.text import plain, truncate
from bot.metadata import Meta


@dataclass
class Message:
    """A message: plain `text` fallback (notifications, screen readers) plus blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        return {"text": truncate(self.text, 3000) or "Perkbot", "blocks": fit(self.blocks)}


def fit(blocks: list[Block]) -> list[dict[str, Any]]:
    """At most 50 blocks and ~12k characters of text: drop from the end, say so."""
    dicts = [b.to_dict() for b in blocks[: limits.MESSAGE_BLOCKS]]
    more = context("…more than fits in one message: see the App Home tab.").to_dict()
    if len(blocks) > limits.MESSAGE_BLOCKS:
        dicts[-1] = more
    while len(dicts) > 1 and limits.block_text_length(dicts) > limits.MESSAGE_BLOCK_CHARS:
        dicts[-2:] = [more]
    return dicts


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=plain(text, limits.HEADER_TEXT)))


def section(mrkdwn: str, *, accessory: Any = None, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(
        text=MarkdownTextObject(text=truncate(mrkdwn, limits.SECTION_TEXT) or " "),
        accessory=accessory,
        block_id=block_id,
    )


def fields(pairs: list[tuple[str, str]]) -> SectionBlock:
    """A two-column section: each pair is (label, mrkdwn value); at most 10 fields."""
    items = [
        MarkdownTextObject(text=truncate(f"*{label}*\n{value}", limits.FIELD_TEXT))
        for label, value in pairs[: limits.SECTION_FIELDS]
    ]
    return SectionBlock(fields=items)


def context(*mrkdwn: str) -> ContextBlock:
    return ContextBlock(
        elements=[
            MarkdownTextObject(text=truncate(t, limits.FIELD_TEXT) or " ")
            for t in mrkdwn[: limits.CONTEXT_ELEMENTS]
        ]
    )


def divider() -> DividerBlock:
    return DividerBlock()


def button(
    text: str,
    action_id: str,
    value: Meta | None = None,
    *,
    style: str | None = None,
    confirm: ConfirmObject | None = None,
) -> ButtonElement:
    return ButtonElement(
        text=plain(text, limits.BUTTON_TEXT),
        action_id=action_id,
        value=value.dump() if value is not None else None,
        style=style,
        confirm=confirm,
    )


def actions(*buttons: ButtonElement, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(elements=list(buttons[: limits.ACTIONS_ELEMENTS]), block_id=block_id)


def option(text: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=plain(text, limits.OPTION_TEXT)), value=value)


def confirm(title: str, text: str, yes: str, no: str = "Cancel") -> ConfirmObject:
    return ConfirmObject(
        title=plain(title, 100),
        text=truncate(text, 300),
        confirm=plain(yes, 30),
        deny=plain(no, 30),
    )


def capped(blocks: list[Block], cap: int, more: str) -> list[Block]:
    """At most `cap` blocks; when cut, the last one says what was left out."""
    if len(blocks) <= cap:
        return blocks
    return [*blocks[: cap - 1], context(more)]
