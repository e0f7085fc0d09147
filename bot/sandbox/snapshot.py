"""What one person sees, as JSON for the page: the people, the sidebar, the open
conversation (messages with their own ephemeral ones), the modal on top, the Home tab."""

from typing import Any

from bot.fakeslack.records import Ephemeral, Message, View
from bot.fakeslack.server import FakeSlack
from bot.sandbox.demo import PEOPLE

HOME = "home"
Json = dict[str, Any]


def people() -> list[Json]:
    return [
        {"id": p.id, "name": p.name, "real_name": p.real_name, "role": p.role, "tz": p.tz}
        for p in PEOPLE
    ]


def sidebar(fake: FakeSlack, user_id: str) -> list[Json]:
    found = fake.state.channels_of(user_id)
    found.sort(key=lambda c: (c.is_im, c.name))
    return [
        {
            "id": c.id,
            "name": "Perkbot" if c.is_im else c.name,
            "kind": "dm" if c.is_im else "channel",
        }
        for c in found
        if not c.is_mpim
    ]


def _files(fake: FakeSlack, m: Message) -> list[Json]:
    found = [fake.file(file_id) for file_id in m.files]
    return [{"id": f.id, "name": f.name, "title": f.title or f.name} for f in found if f]


def _message(fake: FakeSlack, m: Message) -> Json:
    return {
        "files": _files(fake, m),
        "ts": m.ts,
        "user": m.user,
        "bot": bool(m.bot_id),
        "text": m.text,
        "blocks": m.blocks,
        "edited": bool(m.edited),
        "ephemeral": False,
    }


def _ephemeral(e: Ephemeral) -> Json:
    return {
        "ts": e.ts,
        "user": None,
        "bot": True,
        "text": e.text,
        "blocks": e.blocks,
        "edited": False,
        "ephemeral": True,
    }


def conversation(fake: FakeSlack, user_id: str, channel_id: str) -> list[Json]:
    shown = [_message(fake, m) for m in fake.messages(channel_id) if not m.thread_ts]
    shown += [_ephemeral(e) for e in fake.ephemerals(user_id, channel_id)]
    return sorted(shown, key=lambda m: float(m["ts"]))


def view_json(view: View | None) -> Json | None:
    if view is None:
        return None
    body = view.body
    return {
        "id": view.id,
        "hash": view.hash,
        "title": (body.get("title") or {}).get("text", ""),
        "submit": (body.get("submit") or {}).get("text"),
        "close": (body.get("close") or {}).get("text", "Cancel"),
        "blocks": view.blocks,
        "values": view.values,
        "errors": view.errors,
    }


def snapshot(fake: FakeSlack, user_id: str, channel_id: str | None, seq: int) -> Json:
    """Everything the page draws for `user_id`, as of event `seq`."""
    data: Json = {"seq": seq, "channels": sidebar(fake, user_id), "channel": channel_id}
    if channel_id == HOME:
        data["home"] = view_json(fake.home(user_id))
    elif channel_id:
        data["messages"] = conversation(fake, user_id, channel_id)
    data["modal"] = view_json(fake.modal(user_id))
    data["modal_depth"] = len(fake.modal_stack(user_id))
    return data
