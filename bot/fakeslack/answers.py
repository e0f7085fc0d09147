"""What Slack does with the app's HTTP answer (the ack body) to a command or a modal submit.

A command's ack body becomes a reply only the user sees (or, with response_type in_channel,
a message); a view_submission's body may close, update, push, clear or show field errors.
Anything Slack would refuse is returned as a problem instead of changing the workspace, and
answers after the 3 s Slack waits are ignored, as in Slack.
"""

import json
from typing import Any

from bot.fakeslack.limits import check_message, check_view
from bot.fakeslack.records import Ephemeral, Json, Message, Team, View
from bot.fakeslack.state import Workspace


def parse_body(raw: bytes, content_type: str) -> Any:
    text = raw.decode(errors="replace")
    if "json" in content_type or text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text


def apply_command_answer(
    state: Workspace, team: Team, channel: str, user_id: str, body: Any
) -> list[str]:
    if body in ("", None, {}):
        return []
    reply: Json = body if isinstance(body, dict) else {"text": str(body)}
    text, blocks = str(reply.get("text") or ""), reply.get("blocks") or []
    if problems := check_message(text, blocks, reply.get("attachments")):
        return [p.message for p in problems]
    if reply.get("response_type") == "in_channel":
        message = Message(channel, "", team.id, text, blocks, team.bot_user_id, team.bot_id)
        state.post_message(message)
    else:
        state.post_ephemeral(Ephemeral(channel, user_id, "", team.id, text, blocks))
    return []


def apply_view_answer(state: Workspace, view: View, body: Any) -> list[str]:
    """Slack's handling of a view_submission answer, for the submitted (top) modal."""
    if body in ("", None, {}):
        state.close_modal(view.id)
        return []
    if not isinstance(body, dict):
        return [f"answer is not JSON: {str(body)[:200]!r}"]
    action = body.get("response_action")
    if action == "errors":
        errors = body.get("errors")
        inputs = {b.get("block_id") for b in view.blocks if b.get("type") == "input"}
        if not isinstance(errors, dict) or not errors:
            return ["response_action errors needs a non-empty errors object"]
        if unknown := sorted(set(errors) - inputs):
            return [f"errors name blocks that are not input blocks of the view: {unknown}"]
        state.set_view_state(view.id, errors={k: str(v) for k, v in errors.items()})
        return []
    if action == "clear":
        state.clear_modals(view.team_id, view.user_id)
        return []
    if action in ("update", "push"):
        if problems := check_view(body.get("view"), expected_type="modal"):
            return [p.message for p in problems]
        if action == "update":
            state.update_view(view.id, body["view"])
        elif state.push_modal(view.team_id, view.user_id, body["view"]) is None:
            return ["push_limit_reached: a user can have at most 3 modals stacked"]
        return []
    return [f"unknown response_action {action!r}"]
