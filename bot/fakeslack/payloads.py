"""The request bodies Slack sends an app, built from the fake's state (pure functions).

Shapes follow Slack's documented payloads for slash commands, block_actions, view_submission,
view_closed, message_action, block_suggestion and the Events API.
"""

from typing import Any

from bot.fakeslack.inputs import STATE_KEYS, Surface, Values, element_state
from bot.fakeslack.records import APP_ID, Channel, Ephemeral, Json, Message, Team, User, View


def team_obj(team: Team) -> Json:
    return {"id": team.id, "domain": team.domain}


def user_obj(user: User) -> Json:
    return {"id": user.id, "username": user.name, "name": user.name, "team_id": user.team_id}


def channel_obj(channel: Channel) -> Json:
    return {"id": channel.id, "name": "directmessage" if channel.is_im else channel.name}


def common(kind: str, team: Team, user: User, token: str) -> Json:
    return {
        "type": kind,
        "team": team_obj(team),
        "user": user_obj(user),
        "api_app_id": APP_ID,
        "token": token,
        "is_enterprise_install": False,
        "enterprise": None,
    }


def command_form(
    team: Team,
    user: User,
    channel: Channel,
    command: str,
    text: str,
    *,
    response_url: str,
    trigger_id: str,
    token: str,
) -> dict[str, str]:
    return {
        "token": token,
        "team_id": team.id,
        "team_domain": team.domain,
        "channel_id": channel.id,
        "channel_name": channel_obj(channel)["name"],
        "user_id": user.id,
        "user_name": user.name,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def find_element(source: Surface, action_id: str, block_id: str | None = None) -> tuple[Json, Json]:
    """The (block, element) a user can click; LookupError if the surface has no such element."""
    blocks = source.blocks if isinstance(source, (View, Message, Ephemeral)) else source
    for block in blocks if isinstance(blocks, list) else []:
        if block_id not in (None, block.get("block_id")):
            continue
        elements = [block.get("accessory"), block.get("element"), *(block.get("elements") or [])]
        for element in elements:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block, element
    raise LookupError(f"no element with action_id {action_id!r} (block_id {block_id!r})")


def action_obj(block: Json, element: Json, value: Any, action_ts: str) -> Json:
    """One entry of `actions`: a button's text/value/style, or a select's new selection."""
    base = {
        "action_id": element["action_id"],
        "block_id": block["block_id"],
        "action_ts": action_ts,
    }
    kind = element.get("type")
    if kind in STATE_KEYS:
        return element_state(element, value) | base
    if kind == "overflow":
        option = next((o for o in element.get("options", []) if o.get("value") == value), None)
        if option is None:
            raise LookupError(f"overflow {element['action_id']} has no option {value!r}")
        return {"type": "overflow", "selected_option": option} | base
    action = {"type": kind, "text": element.get("text"), **base}
    action["value"] = element.get("value") if value is None else value
    if element.get("style"):
        action["style"] = element["style"]
    return {k: v for k, v in action.items() if v is not None}


def container_obj(source: Message | Ephemeral | View) -> Json:
    if isinstance(source, View):
        return {"type": "view", "view_id": source.id}
    return {
        "type": "message",
        "message_ts": source.ts,
        "channel_id": source.channel,
        "is_ephemeral": isinstance(source, Ephemeral),
    }


def view_obj(view: View, team: Team, values: Values) -> Json:
    shown = view.to_api(team.bot_id)
    shown["state"] = {"values": values}
    return shown


def event_callback(team: Team, event: Json, event_id: str, event_time: int, token: str) -> Json:
    return {
        "token": token,
        "team_id": team.id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team.id,
                "user_id": team.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-fake-{event_id}",
    }
