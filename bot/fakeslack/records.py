"""What the fake Slack keeps, shaped like Slack's objects, and how each reads in an API answer."""

import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

APP_ID = "A0FAKEAPP1"
Json = dict[str, Any]
_ID_CHARS = string.ascii_letters + string.digits


def with_ids(blocks: Any) -> Any:
    """Slack gives every block a block_id and every interactive element an action_id when
    the app leaves them out; state.values and payloads are keyed by them."""
    if not isinstance(blocks, list):
        return blocks
    for block in blocks:
        if not isinstance(block, dict):
            continue
        block.setdefault("block_id", "".join(secrets.choice(_ID_CHARS) for _ in range(5)))
        elements = [block.get("element"), block.get("accessory"), *(block.get("elements") or [])]
        if block.get("type") in ("context", "rich_text"):
            elements = []
        for element in elements:
            if isinstance(element, dict) and element.get("type") not in (None, "image"):
                element.setdefault(
                    "action_id", "".join(secrets.choice(_ID_CHARS) for _ in range(5))
                )
    return blocks


@dataclass
class Team:
    id: str
    domain: str
    name: str
    bot_token: str
    bot_user_id: str
    bot_id: str
    app_id: str = APP_ID

    def to_api(self) -> Json:
        return {"id": self.id, "name": self.name, "domain": self.domain}


@dataclass
class User:
    id: str
    team_id: str
    name: str
    real_name: str
    tz: str = "UTC"
    is_bot: bool = False
    deleted: bool = False
    is_admin: bool = False
    email: str | None = None

    def tz_offset(self, now: float) -> int:
        offset = datetime.fromtimestamp(now, UTC).astimezone(ZoneInfo(self.tz)).utcoffset()
        return int(offset.total_seconds()) if offset else 0

    def to_api(self, now: float) -> Json:
        local = datetime.fromtimestamp(now, UTC).astimezone(ZoneInfo(self.tz))
        profile = {"real_name": self.real_name, "display_name": self.name, "email": self.email}
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "is_admin": self.is_admin,
            "tz": self.tz,
            "tz_label": local.tzname(),
            "tz_offset": self.tz_offset(now),
            "profile": {k: v for k, v in profile.items() if v is not None},
        }


@dataclass
class Channel:
    id: str
    team_id: str
    name: str
    members: set[str] = field(default_factory=set)
    is_im: bool = False
    is_mpim: bool = False
    is_private: bool = False
    is_archived: bool = False
    user: str | None = None  # the person at the other end of a DM with the bot
    created: int = 0

    def to_api(self, bot_user_id: str) -> Json:
        data: Json = {
            "id": self.id,
            "name": self.name,
            "is_channel": not (self.is_im or self.is_mpim or self.is_private),
            "is_group": self.is_private,
            "is_im": self.is_im,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private or self.is_im or self.is_mpim,
            "is_archived": self.is_archived,
            "is_member": bot_user_id in self.members,
            "created": self.created,
            "context_team_id": self.team_id,
        }
        if self.is_im:
            data["user"] = self.user
        else:
            data["num_members"] = len(self.members)
        return data


@dataclass
class Message:
    channel: str
    ts: str
    team_id: str
    text: str
    blocks: list[Json] = field(default_factory=list)
    user: str | None = None
    bot_id: str | None = None
    thread_ts: str | None = None
    reply_count: int = 0
    edited: Json | None = None
    deleted: bool = False
    attachments: list[Json] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    metadata: Json | None = None

    def to_api(self) -> Json:
        data: Json = {"type": "message", "ts": self.ts, "text": self.text, "team": self.team_id}
        optional = {
            "user": self.user,
            "bot_id": self.bot_id,
            "app_id": APP_ID if self.bot_id else None,
            "blocks": self.blocks or None,
            "attachments": self.attachments or None,
            "thread_ts": self.thread_ts,
            "reply_count": self.reply_count or None,
            "edited": self.edited,
            "files": [{"id": f} for f in self.files] or None,
            "metadata": self.metadata,
        }
        data.update({k: v for k, v in optional.items() if v is not None})
        return data


@dataclass
class Ephemeral:
    """A message only `user` sees; Slack keeps no API handle to it beyond a response_url."""

    channel: str
    user: str
    ts: str
    team_id: str
    text: str
    blocks: list[Json] = field(default_factory=list)
    thread_ts: str | None = None
    deleted: bool = False


@dataclass
class View:
    id: str
    team_id: str
    user_id: str
    type: str  # "modal" or "home"
    body: Json  # what the app sent: title, blocks, callback_id, private_metadata, submit, ...
    hash: str
    external_id: str | None = None
    root_view_id: str | None = None
    previous_view_id: str | None = None
    values: Json = field(default_factory=dict)  # state.values as the user left them
    errors: dict[str, str] = field(default_factory=dict)  # from response_action: errors
    closed: bool = False

    @property
    def blocks(self) -> list[Json]:
        return list(self.body.get("blocks") or [])

    @property
    def callback_id(self) -> str:
        return str(self.body.get("callback_id") or "")

    @property
    def private_metadata(self) -> str:
        return str(self.body.get("private_metadata") or "")

    def to_api(self, bot_id: str) -> Json:
        return {
            "id": self.id,
            "team_id": self.team_id,
            "type": self.type,
            "title": self.body.get("title"),
            "submit": self.body.get("submit"),
            "close": self.body.get("close"),
            "blocks": self.blocks,
            "private_metadata": self.private_metadata,
            "callback_id": self.callback_id,
            "state": {"values": self.values},
            "hash": self.hash,
            "clear_on_close": bool(self.body.get("clear_on_close")),
            "notify_on_close": bool(self.body.get("notify_on_close")),
            "external_id": self.external_id or "",
            "root_view_id": self.root_view_id or self.id,
            "previous_view_id": self.previous_view_id,
            "app_id": APP_ID,
            "app_installed_team_id": self.team_id,
            "bot_id": bot_id,
        }


@dataclass
class Trigger:
    id: str
    team_id: str
    user_id: str
    created: float
    used: bool = False


@dataclass
class ResponseUrl:
    """Where a command or click can answer; tied to the message it came from, if any."""

    id: str
    team_id: str
    channel: str
    user_id: str
    created: float
    message_ts: str | None = None  # the message holding the clicked element
    ephemeral: bool = False  # that message is the user's ephemeral one
    uses: int = 0


@dataclass
class File:
    id: str
    team_id: str
    name: str
    length: int
    created: float
    title: str = ""
    content: bytes | None = None  # None until the upload URL receives it
    user: str | None = None
    channels: list[str] = field(default_factory=list)
    completed: bool = False

    def to_api(self) -> Json:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title or self.name,
            "size": len(self.content or b""),
            "created": int(self.created),
            "user": self.user,
            "channels": list(self.channels),
        }


@dataclass(frozen=True)
class Event:
    """One change to the workspace, in order; `seq` lets a page ask for what it missed."""

    seq: int
    kind: str
    time: float
    data: Json


@dataclass(frozen=True)
class Call:
    """One HTTP request to the Web API, as the app made it and as the fake answered."""

    method: str
    params: Json
    time: float
    team_id: str | None
    token: str | None
    status: int
    response: Json
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.response.get("ok", True) is True

    @property
    def error(self) -> str | None:
        return None if self.ok else str(self.response.get("error") or self.status)
