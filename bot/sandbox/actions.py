"""What a person does on the page, sent to Perkbot exactly as Slack would send it.

Each function takes the page's JSON and answers JSON; `problems` carries anything Slack
would show as an error (no answer within 3 s, a malformed reply).
"""

from functools import cache
from typing import Any

from bot.fakeslack.client import SlackClient
from bot.fakeslack.inputs import client_side_errors, default_values, fill
from bot.fakeslack.records import Ephemeral, Message, View
from bot.fakeslack.signing import AppReply

Json = dict[str, Any]
MESSAGES_OFF = "Sending messages to this app has been turned off. Slash commands still work."


class PageError(Exception):
    """Something the page asked that makes no sense (an unknown view, a gone message)."""


def _outcome(reply: AppReply) -> Json:
    problems = list(reply.problems)
    if reply.status != 200 and not problems:
        problems.append(f"Perkbot answered HTTP {reply.status}")
    return {"ok": not problems, "problems": problems}


@cache
def _features() -> Json:
    """What Slack knows of the app: its manifest (loaded on first use; it imports Perkbot)."""
    from bot.manifest import manifest

    return manifest()["features"]


def slash_commands() -> set[str]:
    return {c["command"] for c in _features()["slash_commands"]}


def shortcuts() -> list[Json]:
    """The message shortcuts Slack offers in a message's menu, from the app's manifest."""
    found = _features()["shortcuts"]
    return [
        {"name": s["name"], "callback_id": s["callback_id"]}
        for s in found
        if s["type"] == "message"
    ]


def send_text(slack: SlackClient, user: str, channel: str, text: str) -> Json:
    """The message box: a slash command goes to the app; other text is a message."""
    fake = slack.fake
    text = text.strip()
    if text.startswith("/"):
        command, _, rest = text.partition(" ")
        if command not in slash_commands():
            note = f"`{command}` is not a valid command. In Slack, all messages that start with `/` are commands."
            fake.state.post_ephemeral(Ephemeral(channel, user, "", fake.team.id, note))
            return {"ok": True, "problems": []}
        return _outcome(slack.command(user, command, rest.strip(), channel))
    found = fake.state.channel(channel)
    if found is None:
        raise PageError("no such conversation")
    if found.is_im:
        return {"ok": False, "problems": [MESSAGES_OFF]}
    fake.post_as_user(user, channel, text)
    return {"ok": True, "problems": []}


def _source(slack: SlackClient, user: str, where: Json) -> Message | Ephemeral | View:
    fake = slack.fake
    if view_id := where.get("view"):
        view = fake.view(str(view_id))
        if view is None or (view.closed and view.type == "modal"):
            raise PageError("That view is closed.")
        return view
    channel, ts = str(where.get("channel")), str(where.get("ts"))
    if where.get("ephemeral"):
        found = [e for e in fake.ephemerals(user, channel) if e.ts == ts]
        if not found:
            raise PageError("That message is gone.")
        return found[0]
    message = fake.message(channel, ts)
    if message is None:
        raise PageError("That message is gone.")
    return message


def view_values(view: View, typed: Json) -> Json:
    """The page's plain values (by input block id) as Slack's state.values."""
    inputs = {b.get("block_id") for b in view.blocks if b.get("type") == "input"}
    known = {k: v for k, v in typed.items() if k in inputs}
    return fill(view, known, default_values(view))


def click(slack: SlackClient, user: str, body: Json) -> Json:
    """A button, a select in an actions block, or an input with dispatch_action."""
    source = _source(slack, user, body.get("source") or {})
    values = None
    if isinstance(source, View) and body.get("values") is not None:
        values = view_values(source, body["values"])
    reply = slack.block_action(
        user, source, str(body["action_id"]), body.get("value"), body.get("block_id"), values=values
    )
    return _outcome(reply)


def submit(slack: SlackClient, user: str, body: Json) -> Json:
    view = slack.fake.view(str(body.get("view")))
    if view is None or view.closed:
        raise PageError("That view is closed.")
    values = view_values(view, body.get("values") or {})
    if errors := client_side_errors(view, values):  # Slack's client stops here
        slack.fake.state.set_view_state(view.id, values=values, errors=errors)
        return {"ok": False, "problems": [], "errors": errors}
    return _outcome(slack.view_submission(user, view, values))


def close(slack: SlackClient, user: str, body: Json) -> Json:
    view = slack.fake.view(str(body.get("view")))
    if view is None or view.closed:
        return {"ok": True, "problems": []}
    if view.body.get("notify_on_close"):
        return _outcome(slack.view_closed(user, view))
    slack.fake.state.close_modal(view.id)
    return {"ok": True, "problems": []}


def suggest(slack: SlackClient, user: str, body: Json) -> Json:
    """An external select asks the app for options as the person types."""
    view = slack.fake.view(str(body.get("view")))
    if view is None:
        raise PageError("That view is closed.")
    reply = slack.block_suggestion(
        user, view, str(body["action_id"]), str(body.get("query") or ""), body.get("block_id")
    )
    answer = reply.json
    return _outcome(reply) | {
        "options": answer.get("options") or [],
        "option_groups": answer.get("option_groups") or [],
    }


def shortcut(slack: SlackClient, user: str, body: Json) -> Json:
    message = _source(slack, user, {"channel": body.get("channel"), "ts": body.get("ts")})
    assert isinstance(message, Message)
    return _outcome(slack.message_shortcut(user, str(body["callback_id"]), message))


def open_home(slack: SlackClient, user: str) -> Json:
    return _outcome(slack.app_home_opened(user))
