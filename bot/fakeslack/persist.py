"""Save the fake workspace as JSON and load it back, so the sandbox's conversations outlive
a restart: teams, people, conversations, messages, ephemeral messages, Home tabs and files.
Open modals are not kept (a restart closes them, as a reload of Slack's client would)."""

import base64
import copy
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from bot.fakeslack.records import Channel, Ephemeral, File, Json, Message, Team, User, View
from bot.fakeslack.state import Workspace

if TYPE_CHECKING:
    from bot.fakeslack.server import FakeSlack

VERSION = 1


def dump(state: Workspace) -> Json:
    with state._cond:
        homes = [[team, user, view] for (team, user), view in state._homes.items()]
        return copy.deepcopy(
            {
                "version": VERSION,
                "counters": state._counters,
                "last_ts_us": state._last_ts_us,
                "teams": [asdict(t) for t in state.teams.values()],
                "users": [asdict(u) for u in state.users.values()],
                "channels": [
                    asdict(c) | {"members": sorted(c.members)} for c in state.channels.values()
                ],
                "messages": [asdict(m) for ms in state._messages.values() for m in ms],
                "ephemerals": [asdict(e) for e in state._ephemerals],
                "files": [_file(f) for f in state.files.values()],
                "homes": homes,
                "views": [asdict(state.views[view]) for _, _, view in homes],
            }
        )


def _file(f: File) -> Json:
    content = base64.b64encode(f.content).decode() if f.content is not None else None
    return asdict(f) | {"content": content}


def load(state: Workspace, data: Json) -> None:
    """Replace the workspace with a dump; ValueError if it is not one this code wrote."""
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError("not a saved fake workspace of this version")
    with state.mutating():
        state._counters = dict(data["counters"])
        state._last_ts_us = int(data["last_ts_us"])
        state.teams = {t["id"]: Team(**t) for t in data["teams"]}
        state.users = {u["id"]: User(**u) for u in data["users"]}
        state.channels = {c["id"]: _channel(c) for c in data["channels"]}
        state._messages = {c: [] for c in state.channels}
        for m in data["messages"]:
            state._messages.setdefault(m["channel"], []).append(Message(**m))
        state._ephemerals = [Ephemeral(**e) for e in data["ephemerals"]]
        state.files = {f["id"]: _load_file(f) for f in data["files"]}
        state.views = {v["id"]: View(**v) for v in data["views"]}
        state._homes = {(team, user): view for team, user, view in data["homes"]}
        state.emit("workspace.loaded")


def _channel(c: dict[str, Any]) -> Channel:
    return Channel(**(c | {"members": set(c["members"])}))


def _load_file(f: dict[str, Any]) -> File:
    content = base64.b64decode(f["content"]) if f["content"] is not None else None
    return File(**(f | {"content": content}))


def restore(fake: "FakeSlack", data: Json) -> None:
    """`load` into a running fake, whose default team (and bot token) becomes the saved one."""
    load(fake.state, data)
    fake.team = copy.deepcopy(fake.state.teams[fake.team.id])
