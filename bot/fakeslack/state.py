"""The fake workspace: teams, users, channels, messages, files and calls, under the one
lock of its event log (views live in `views_state`).

Readers get copies, so a test holding a message keeps the version it saw (a "stale copy"),
and the HTTP threads never hand out objects another thread is changing.
"""

import copy
import secrets
from typing import Any

from bot.fakeslack.clock import Clock, system_clock
from bot.fakeslack.records import (
    Call,
    Channel,
    Ephemeral,
    File,
    Json,
    Message,
    ResponseUrl,
    Team,
    Trigger,
    User,
    with_ids,
)
from bot.fakeslack.views_state import ViewsState


class Workspace(ViewsState):
    def __init__(self, clock: Clock | None = None) -> None:
        super().__init__(clock or system_clock)
        self._counters: dict[str, int] = {}
        self._last_ts_us = 0
        self.teams: dict[str, Team] = {}
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self._messages: dict[str, list[Message]] = {}
        self._ephemerals: list[Ephemeral] = []
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.files: dict[str, File] = {}
        self._calls: list[Call] = []

    # -- ids and timestamps ---------------------------------------------------------------

    def next_id(self, prefix: str) -> str:
        with self._cond:
            self._counters[prefix] = self._counters.get(prefix, 0) + 1
            return f"{prefix}{self._counters[prefix]:08X}"

    def next_ts(self) -> str:
        """Message timestamps: the clock in microseconds, strictly increasing, unique."""
        with self._cond:
            self._last_ts_us = max(int(self.clock() * 1_000_000), self._last_ts_us + 1)
            return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    def new_hash(self) -> str:
        return f"{int(self.clock())}.{secrets.token_hex(4)}"

    # -- teams, users, channels -----------------------------------------------------------

    def add_team(self, team_id: str, domain: str | None = None, name: str | None = None) -> Team:
        with self.mutating():
            bot_user = self.next_id("UB")
            team = Team(
                id=team_id,
                domain=domain or team_id.lower(),
                name=name or f"Team {team_id}",
                bot_token=f"xoxb-{team_id}-{secrets.token_hex(8)}",
                bot_user_id=bot_user,
                bot_id=self.next_id("B"),
            )
            self.teams[team_id] = team
            self.users[bot_user] = User(bot_user, team_id, "perkbot", "Perkbot", is_bot=True)
            self.emit("team.added", team=team.to_api())
            return copy.deepcopy(team)

    def team_for_token(self, token: str) -> Team | None:
        with self._cond:
            found = next((t for t in self.teams.values() if t.bot_token == token), None)
            return copy.deepcopy(found)

    def add_user(self, user: User) -> User:
        with self.mutating():
            self.users[user.id] = copy.deepcopy(user)
            self.emit("user.added", user=user.to_api(self.clock()))
            return copy.deepcopy(user)

    def user(self, user_id: str) -> User | None:
        with self._cond:
            return copy.deepcopy(self.users.get(user_id))

    def add_channel(self, channel: Channel) -> Channel:
        with self.mutating():
            channel.created = channel.created or int(self.clock())
            self.channels[channel.id] = copy.deepcopy(channel)
            self._messages.setdefault(channel.id, [])
            self.emit("channel.added", channel=channel.id, name=channel.name)
            return copy.deepcopy(channel)

    def channel(self, channel_id: str) -> Channel | None:
        with self._cond:
            return copy.deepcopy(self.channels.get(channel_id))

    def channels_of(self, user_id: str) -> list[Channel]:
        """The conversations a user is a member of (their sidebar)."""
        with self._cond:
            return copy.deepcopy([c for c in self.channels.values() if user_id in c.members])

    def join(self, channel_id: str, *user_ids: str) -> None:
        with self.mutating():
            self.channels[channel_id].members.update(user_ids)
            self.emit("channel.joined", channel=channel_id, users=list(user_ids))

    def open_dm(self, team_id: str, user_id: str) -> tuple[Channel, bool]:
        """The bot's DM with a user, created on first use; returns (channel, already_open)."""
        with self.mutating():
            for c in self.channels.values():
                if c.is_im and c.team_id == team_id and c.user == user_id:
                    return copy.deepcopy(c), True
            bot = self.teams[team_id].bot_user_id
            dm = Channel(self.next_id("D"), team_id, user_id, {user_id, bot}, is_im=True)
            dm.user = user_id
            return self.add_channel(dm), False

    # -- messages -------------------------------------------------------------------------

    def post_message(self, message: Message) -> Message:
        with self.mutating():
            message = copy.deepcopy(message)
            message.ts = message.ts or self.next_ts()
            with_ids(message.blocks)
            self._messages.setdefault(message.channel, []).append(message)
            if message.thread_ts and (parent := self._find(message.channel, message.thread_ts)):
                parent.reply_count += 1
            self.emit("message.posted", channel=message.channel, ts=message.ts)
            return copy.deepcopy(message)

    def _find(self, channel: str, ts: str) -> Message | None:
        found = (m for m in self._messages.get(channel, []) if m.ts == ts and not m.deleted)
        return next(found, None)

    def message(self, channel: str, ts: str) -> Message | None:
        with self._cond:
            return copy.deepcopy(self._find(channel, ts))

    def messages(self, channel: str, *, include_deleted: bool = False) -> list[Message]:
        with self._cond:
            found = [m for m in self._messages.get(channel, []) if include_deleted or not m.deleted]
            return copy.deepcopy(found)

    def update_message(self, channel: str, ts: str, editor: str | None, **changes: Any) -> Message:
        with self.mutating():
            message = self._find(channel, ts)
            if message is None:
                raise KeyError(ts)
            for name, value in copy.deepcopy(changes).items():
                setattr(message, name, value)
            with_ids(message.blocks)
            message.edited = {"user": editor, "ts": self.next_ts()}
            self.emit("message.updated", channel=channel, ts=ts)
            return copy.deepcopy(message)

    def delete_message(self, channel: str, ts: str) -> None:
        with self.mutating():
            message = self._find(channel, ts)
            if message is None:
                raise KeyError(ts)
            message.deleted = True
            self.emit("message.deleted", channel=channel, ts=ts)

    # -- ephemeral messages ---------------------------------------------------------------

    def post_ephemeral(self, ephemeral: Ephemeral) -> Ephemeral:
        with self.mutating():
            ephemeral = copy.deepcopy(ephemeral)
            ephemeral.ts = ephemeral.ts or self.next_ts()
            with_ids(ephemeral.blocks)
            self._ephemerals.append(ephemeral)
            self.emit(
                "ephemeral.posted", channel=ephemeral.channel, user=ephemeral.user, ts=ephemeral.ts
            )
            return copy.deepcopy(ephemeral)

    def _find_ephemeral(self, channel: str, ts: str) -> Ephemeral | None:
        found = (e for e in self._ephemerals if e.channel == channel and e.ts == ts)
        return next((e for e in found if not e.deleted), None)

    def ephemerals(self, user: str | None = None, channel: str | None = None) -> list[Ephemeral]:
        with self._cond:
            found = [
                e
                for e in self._ephemerals
                if not e.deleted and user in (None, e.user) and channel in (None, e.channel)
            ]
            return copy.deepcopy(found)

    def replace_ephemeral(self, channel: str, ts: str, text: str, blocks: list[Json]) -> None:
        with self.mutating():
            found = self._find_ephemeral(channel, ts)
            if found is None:
                raise KeyError(ts)
            found.text, found.blocks = text, with_ids(copy.deepcopy(blocks))
            self.emit("ephemeral.updated", channel=channel, user=found.user, ts=ts)

    def delete_ephemeral(self, channel: str, ts: str) -> None:
        with self.mutating():
            found = self._find_ephemeral(channel, ts)
            if found is None:
                raise KeyError(ts)
            found.deleted = True
            self.emit("ephemeral.deleted", channel=channel, user=found.user, ts=ts)

    # -- triggers and response URLs -------------------------------------------------------

    def new_trigger(self, team_id: str, user_id: str) -> Trigger:
        with self.mutating():
            now = self.clock()
            trigger_id = f"{int(now)}.{secrets.randbelow(10**10)}.{secrets.token_hex(16)}"
            self.triggers[trigger_id] = Trigger(trigger_id, team_id, user_id, now)
            return copy.deepcopy(self.triggers[trigger_id])

    def new_response_url(self, record: ResponseUrl) -> ResponseUrl:
        with self.mutating():
            record.id = record.id or secrets.token_urlsafe(16)
            record.created = record.created or self.clock()
            self.response_urls[record.id] = copy.deepcopy(record)
            return copy.deepcopy(record)

    # -- files and calls ------------------------------------------------------------------

    def put_file(self, file: File, kind: str) -> File:
        with self.mutating():
            self.files[file.id] = copy.deepcopy(file)
            self.emit(kind, file=file.id, name=file.name, channels=list(file.channels))
            return copy.deepcopy(file)

    def file(self, file_id: str) -> File | None:
        with self._cond:
            return copy.deepcopy(self.files.get(file_id))

    def record_call(self, call: Call) -> None:
        with self.mutating():
            self._calls.append(call)
            self.emit("api.call", method=call.method, status=call.status, ok=call.ok)

    def calls(self, method: str | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self._calls if method in (None, c.method)]
