"""Helpers on `FakeSlack` to set a workspace up and read it back, without HTTP.

Ids are sequential (C00000001, D00000001, V00000001...), so two runs see the same ids.
Everything read back is a copy taken under the lock.
"""

from collections.abc import Iterable

from bot.fakeslack.records import Channel, Ephemeral, File, Message, ResponseUrl, Team, User, View
from bot.fakeslack.state import Workspace


class WorkspaceSetup:
    state: Workspace
    team: Team  # the default team, used when team_id is not given

    @property
    def url(self) -> str:
        raise NotImplementedError

    def _team(self, team_id: str | None) -> Team:
        return self.state.teams[team_id or self.team.id]

    # -- set up ---------------------------------------------------------------------------

    def add_team(self, team_id: str, domain: str | None = None, name: str | None = None) -> Team:
        """Another workspace, with its own bot token (`team.bot_token`)."""
        return self.state.add_team(team_id, domain, name)

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        *,
        real_name: str | None = None,
        tz: str = "UTC",
        team_id: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        is_admin: bool = False,
        email: str | None = None,
    ) -> User:
        name = name or user_id.lower()
        user = User(
            user_id,
            self._team(team_id).id,
            name,
            real_name or name.replace(".", " ").title(),
            tz,
            is_bot,
            deleted,
            is_admin,
            email,
        )
        return self.state.add_user(user)

    def add_channel(
        self,
        name: str,
        *,
        members: Iterable[str] = (),
        channel_id: str | None = None,
        team_id: str | None = None,
        is_private: bool = False,
        bot_member: bool = True,
    ) -> Channel:
        team = self._team(team_id)
        everyone = set(members) | ({team.bot_user_id} if bot_member else set())
        prefix = "G" if is_private else "C"
        channel_id = channel_id or self.state.next_id(prefix)
        channel = Channel(channel_id, team.id, name, everyone, is_private=is_private)
        return self.state.add_channel(channel)

    def join(self, channel_id: str, *user_ids: str) -> None:
        self.state.join(channel_id, *user_ids)

    def dm(self, user_id: str, team_id: str | None = None) -> str:
        """The id of the bot's DM with this user (opened if needed, as conversations.open)."""
        return self.state.open_dm(self._team(team_id).id, user_id)[0].id

    def post_as_user(
        self, user_id: str, channel_id: str, text: str, *, thread_ts: str | None = None
    ) -> Message:
        """A message a person wrote, e.g. the target of a message shortcut."""
        team_id = self.state.users[user_id].team_id
        return self.state.post_message(
            Message(channel_id, "", team_id, text, user=user_id, thread_ts=thread_ts)
        )

    def new_trigger_id(self, user_id: str, team_id: str | None = None) -> str:
        """A trigger issued now (by the fake's clock); views.open accepts it for 3 s, once."""
        return self.state.new_trigger(self._team(team_id).id, user_id).id

    def response_url_for(
        self,
        channel_id: str,
        user_id: str,
        *,
        message_ts: str | None = None,
        ephemeral: bool = False,
        team_id: str | None = None,
    ) -> str:
        """A response_url for a command (no message) or for a click on the message at `message_ts`."""
        record = ResponseUrl(
            "", self._team(team_id).id, channel_id, user_id, 0.0, message_ts, ephemeral
        )
        return f"{self.url}response/{self.state.new_response_url(record).id}"

    # -- read back ------------------------------------------------------------------------

    def messages(self, channel_id: str) -> list[Message]:
        return self.state.messages(channel_id)

    def last_message(self, channel_id: str) -> Message | None:
        found = self.state.messages(channel_id)
        return found[-1] if found else None

    def message(self, channel_id: str, ts: str) -> Message | None:
        return self.state.message(channel_id, ts)

    def ephemerals(
        self, user_id: str | None = None, channel_id: str | None = None
    ) -> list[Ephemeral]:
        return self.state.ephemerals(user_id, channel_id)

    def modal(self, user_id: str, team_id: str | None = None) -> View | None:
        """The modal the user is looking at (top of their stack), if any."""
        stack = self.state.modal_stack(self._team(team_id).id, user_id)
        return stack[-1] if stack else None

    def modal_stack(self, user_id: str, team_id: str | None = None) -> list[View]:
        return self.state.modal_stack(self._team(team_id).id, user_id)

    def home(self, user_id: str, team_id: str | None = None) -> View | None:
        return self.state.home(self._team(team_id).id, user_id)

    def view(self, view_id: str) -> View | None:
        return self.state.view(view_id)

    def file(self, file_id: str) -> File | None:
        return self.state.file(file_id)
