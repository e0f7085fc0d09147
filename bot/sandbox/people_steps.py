"""What demo people do, through Slack's surface only: type `/perk …`, fill the modal that
opens, click a button by its label. The sample data is made this way, so it goes through
Perkbot exactly as a person's clicks would."""

import json
from typing import Any

from bot.fakeslack.client import SlackClient
from bot.fakeslack.inputs import fill
from bot.fakeslack.records import Message, View

WAIT = 10.0


def _text(message: Message) -> str:
    return message.text + json.dumps(message.blocks, ensure_ascii=False)


def _button(message: Message | View, label: str) -> str | None:
    for block in message.blocks:
        for element in [block.get("accessory"), *(block.get("elements") or [])]:
            is_button = isinstance(element, dict) and element.get("type") == "button"
            if is_button and (element.get("text") or {}).get("text") == label:
                return str(element["action_id"])
    return None


def modal(slack: SlackClient, user: str, title: str) -> View:
    def shown() -> View | None:
        view = slack.fake.modal(user)
        return view if view and (view.body.get("title") or {}).get("text") == title else None

    return slack.fake.wait_for(shown, WAIT)


def submit(slack: SlackClient, user: str, view: View, **fields: Any) -> None:
    view = slack.fake.view(view.id) or view
    slack.view_submission(user, view, fill(view, fields, view.values or None))


def dm_message(slack: SlackClient, user: str, containing: str, button: str) -> Message:
    """The newest message in the person's DM with Perkbot that has text and a button."""
    dm = slack.fake.dm(user)

    def found() -> Message | None:
        for m in reversed(slack.fake.messages(dm)):
            if containing in _text(m) and _button(m, button):
                return m
        return None

    return slack.fake.wait_for(found, WAIT)


def click(slack: SlackClient, user: str, source: Message | View, label: str) -> None:
    action_id = _button(source, label)
    if action_id is None:
        raise LookupError(f"no button {label!r}")
    slack.block_action(user, source, action_id)


def log_event(slack: SlackClient, user: str, customer: str, kind: str, **fields: Any) -> None:
    """`/perk event`; choosing the kind first, as a person would, so the modal reshapes."""
    slack.command(user, "/perk", "event")
    view = modal(slack, user, "Log a life event")
    kind_block = next(b for b in view.blocks if (b.get("label") or {}).get("text") == "Life event")
    slack.block_action(user, view, kind_block["element"]["action_id"], kind, kind_block["block_id"])
    slack.fake.wait_for(lambda: (v := slack.fake.view(view.id)) and v.hash != view.hash, WAIT)
    submit(slack, user, view, Customer=customer, **fields)


def propose(slack: SlackClient, user: str, customer: str, amount: str, what: str) -> None:
    """From the event's confirmation: Propose a perk, a custom one of `amount`."""
    confirmation = dm_message(slack, user, customer, "Propose a perk")
    click(slack, user, confirmation, "Propose a perk")
    view = modal(slack, user, "Propose a perk")
    submit(slack, user, view, Perk="custom", Amount=amount, Description=what)


def decide(slack: SlackClient, approver: str, customer: str, label: str, reason: str = "") -> None:
    request = dm_message(slack, approver, customer, label)
    click(slack, approver, request, label)
    if label == "Reject":
        submit(slack, approver, modal(slack, approver, "Reject perk"), Reason=reason)
