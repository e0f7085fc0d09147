"""What every fake Web API method gets: the caller's team, its arguments, and helpers that
fail the way Slack fails (ok:false with an error code)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.fakeslack.limits import Problem, response_metadata
from bot.fakeslack.records import Channel, Json, Team, User
from bot.fakeslack.state import Workspace


class ApiError(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error, self.extra = error, extra

    def body(self) -> Json:
        return {"ok": False, "error": self.error, **self.extra}

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> "ApiError":
        body = response_metadata(problems)
        return cls(body.pop("error"), **{k: v for k, v in body.items() if k != "ok"})

    @classmethod
    def invalid_arguments(cls, message: str) -> "ApiError":
        return cls("invalid_arguments", response_metadata={"messages": [f"[ERROR] {message}"]})


@dataclass
class Ctx:
    state: Workspace
    team: Team
    params: Json
    base_url: str  # the fake's own address, for upload URLs

    def arg(self, name: str) -> str:
        value = self.params.get(name)
        if value in (None, ""):
            raise ApiError.invalid_arguments(f"missing required field: {name}")
        return str(value)

    def opt(self, name: str) -> str | None:
        value = self.params.get(name)
        return None if value in (None, "") else str(value)

    def flag(self, name: str) -> bool:
        return str(self.params.get(name, "")).lower() in ("1", "true")

    def json_arg(self, name: str, error: str = "invalid_arguments") -> Any:
        """Form bodies carry blocks/view as JSON strings; JSON bodies carry them as is."""
        value = self.params.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value) if value else None
            except json.JSONDecodeError as e:
                raise ApiError(error, response_metadata={"messages": [str(e)]}) from e
        return value

    def channel(self, name: str = "channel", *, allow_user: bool = False) -> Channel:
        """A conversation of the caller's team, by id or #name; a user id means their DM."""
        ref = self.params.get(name)
        if not ref:
            raise ApiError("channel_not_found")
        ref = str(ref)
        if allow_user and ref.startswith(("U", "W")):
            user = self.user_by_id(ref)
            return self.state.open_dm(self.team.id, user.id)[0]
        found = self.state.channels.get(ref)
        if found is None:
            name_ = ref.lstrip("#")
            found = next(
                (
                    c
                    for c in self.state.channels.values()
                    if c.name == name_ and c.team_id == self.team.id and not c.is_im
                ),
                None,
            )
        if found is None or found.team_id != self.team.id:
            raise ApiError("channel_not_found")
        return found

    def user_by_id(self, user_id: str) -> User:
        user = self.state.users.get(user_id)
        if user is None or user.team_id != self.team.id:
            raise ApiError("user_not_found")
        if user.deleted:
            raise ApiError("user_disabled")
        return user

    def user(self, name: str = "user") -> User:
        return self.user_by_id(self.arg(name))


Handler = Callable[[Ctx], Json]
