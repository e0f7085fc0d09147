"""`SlackClient`: sends an app what Slack would send, signed like Slack, over real HTTP.

    client = SlackClient("http://127.0.0.1:3000/slack/events", secret, fake)
    reply = client.command("U1", "/perk", "event")
    view = fake.modal("U1")
    reply = client.view_submission("U1", view, fill(view, {"Customer": "Ada"}))

Trigger ids and response_urls come from the fake, so the app's Web API calls land on it.
Signing uses the real time (not the fake's clock) unless `clock` is given.
"""

import copy
import dataclasses
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from bot.fakeslack import payloads
from bot.fakeslack.answers import apply_command_answer, apply_view_answer
from bot.fakeslack.inputs import Values, client_side_errors, default_values
from bot.fakeslack.records import Ephemeral, Json, Message, Team, User, View
from bot.fakeslack.server import FakeSlack
from bot.fakeslack.signing import AppReply, Signing, post


class InvalidSubmission(ValueError):
    """Slack's client would not send this: a required field is empty, a value too long..."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"Slack would not submit this view: {errors}")
        self.errors = errors


class SlackClient:
    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        fake: FakeSlack,
        team_id: str | None = None,
        *,
        clock: Callable[[], float] = time.time,
        verification_token: str = "fake-verification-token",
        timeout: float = 30.0,
    ) -> None:
        self.app_url, self.fake, self.timeout = app_url, fake, timeout
        self.team_id = team_id or fake.team.id
        self.signing = Signing(signing_secret, clock)
        self.verification_token = verification_token

    def with_options(self, **changes: Any) -> "SlackClient":
        """A copy sending differently: secret=, clock=, sign=False, retry_num=, retry_reason=."""
        other = copy.copy(self)
        other.signing = dataclasses.replace(self.signing, **changes)
        return other

    # -- transport ------------------------------------------------------------------------

    def send(self, body: bytes, content_type: str) -> AppReply:
        """POST any body to the app, signed as this client signs."""
        reply = post(self.app_url, body, content_type, self.signing, self.timeout)
        if not self._accepted(reply):  # Slack shows the user an error (or retries an event)
            reply.problems = [f"HTTP {reply.status} after {reply.elapsed:.2f}s"]
        return reply

    def _send_form(self, fields: dict[str, str]) -> AppReply:
        return self.send(urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def _send_payload(self, payload: Json) -> AppReply:
        return self._send_form({"payload": json.dumps(payload)})

    # -- who and where --------------------------------------------------------------------

    @property
    def team(self) -> Team:
        return self.fake.state.teams[self.team_id]

    def _user(self, user_id: str) -> User:
        user = self.fake.state.user(user_id)
        if user is None:
            raise LookupError(f"unknown user {user_id}; add it with fake.add_user first")
        return user

    def _common(self, kind: str, user_id: str) -> Json:
        return payloads.common(kind, self.team, self._user(user_id), self.verification_token)

    def _trigger(self, user_id: str) -> str:
        return self.fake.new_trigger_id(user_id, self.team_id)

    def _latest(self, view: View) -> View:
        """Slack shows a modal as it is now (after any views.update), whatever copy a test holds."""
        return self.fake.state.view(view.id) or view

    def _accepted(self, reply: AppReply) -> bool:
        return reply.status == 200 and not reply.timed_out

    # -- what users do --------------------------------------------------------------------

    def command(
        self, user_id: str, command: str = "/perk", text: str = "", channel_id: str | None = None
    ) -> AppReply:
        """A slash command, typed in `channel_id` (default: the user's DM with the bot)."""
        channel_id = channel_id or self.fake.dm(user_id, self.team_id)
        channel = self.fake.state.channel(channel_id)
        if channel is None:
            raise LookupError(f"unknown channel {channel_id}")
        fields = payloads.command_form(
            self.team,
            self._user(user_id),
            channel,
            command,
            text,
            response_url=self.fake.response_url_for(channel_id, user_id, team_id=self.team_id),
            trigger_id=self._trigger(user_id),
            token=self.verification_token,
        )
        reply = self._send_form(fields)
        if self._accepted(reply):
            state = self.fake.state
            reply.problems = apply_command_answer(state, self.team, channel_id, user_id, reply.body)
        return reply

    def block_action(
        self,
        user_id: str,
        source: Message | Ephemeral | View,
        action_id: str,
        value: Any = None,
        block_id: str | None = None,
        *,
        values: Values | None = None,
    ) -> AppReply:
        """A click (or selection) on an element of a message, ephemeral message, modal or Home.
        `value` overrides a button's value or picks a select's option; `values` is the
        state of the view's inputs (default: what the fake holds for it)."""
        if isinstance(source, View):
            source = self._latest(source)
        block, element = payloads.find_element(source, action_id, block_id)
        payload = self._common("block_actions", user_id)
        payload["container"] = payloads.container_obj(source)
        payload["trigger_id"] = self._trigger(user_id)
        action_ts = f"{self.fake.state.clock():.6f}"
        payload["actions"] = [payloads.action_obj(block, element, value, action_ts)]
        if isinstance(source, View):
            values = values if values is not None else (source.values or default_values(source))
            self.fake.state.set_view_state(source.id, values=values)
            payload["view"] = payloads.view_obj(source, self.team, values)
            payload["state"] = {"values": values}
        else:
            channel = self.fake.state.channel(source.channel)
            payload["channel"] = (
                payloads.channel_obj(channel) if channel else {"id": source.channel}
            )
            payload["state"] = {"values": values or default_values(source)}
            payload["response_url"] = self.fake.response_url_for(
                source.channel,
                user_id,
                message_ts=source.ts,
                ephemeral=isinstance(source, Ephemeral),
                team_id=self.team_id,
            )
            if isinstance(source, Message):
                payload["message"] = source.to_api()
        return self._send_payload(payload)

    def view_submission(
        self, user_id: str, view: View, values: Values | None = None, *, check: bool = True
    ) -> AppReply:
        """Submit a modal with `values` (Slack's state.values shape; default: as shown).
        Raises InvalidSubmission where Slack's client would refuse, unless check=False."""
        view = self._latest(view)
        values = values if values is not None else (view.values or default_values(view))
        if check and (errors := client_side_errors(view, values)):
            raise InvalidSubmission(errors)
        self.fake.state.set_view_state(view.id, values=values, errors={})
        payload = self._common("view_submission", user_id)
        payload |= {
            "trigger_id": self._trigger(user_id),
            "view": payloads.view_obj(view, self.team, values),
            "response_urls": [],
        }
        reply = self._send_payload(payload)
        current = self.fake.state.view(view.id)
        if self._accepted(reply) and current is not None and not current.closed:
            reply.problems = apply_view_answer(self.fake.state, current, reply.body)
        return reply

    def view_closed(self, user_id: str, view: View, *, is_cleared: bool = False) -> AppReply:
        """The user closed the modal (Slack sends this only with notify_on_close)."""
        if is_cleared:
            self.fake.state.clear_modals(view.team_id, view.user_id)
        else:
            self.fake.state.close_modal(view.id)
        payload = self._common("view_closed", user_id)
        payload |= {
            "view": payloads.view_obj(view, self.team, view.values),
            "is_cleared": is_cleared,
        }
        return self._send_payload(payload)

    def message_shortcut(self, user_id: str, callback_id: str, message: Message) -> AppReply:
        channel = self.fake.state.channel(message.channel)
        payload = self._common("message_action", user_id)
        payload |= {
            "callback_id": callback_id,
            "trigger_id": self._trigger(user_id),
            "action_ts": f"{self.fake.state.clock():.6f}",
            "message_ts": message.ts,
            "message": message.to_api(),
            "channel": payloads.channel_obj(channel) if channel else {"id": message.channel},
            "response_url": self.fake.response_url_for(
                message.channel, user_id, team_id=self.team_id
            ),
        }
        return self._send_payload(payload)

    def block_suggestion(
        self, user_id: str, view: View, action_id: str, value: str, block_id: str | None = None
    ) -> AppReply:
        """An external_select asking the app for options while the user types `value`."""
        view = self._latest(view)
        block, _ = payloads.find_element(view, action_id, block_id)
        payload = self._common("block_suggestion", user_id)
        payload |= {
            "container": payloads.container_obj(view),
            "action_id": action_id,
            "block_id": block["block_id"],
            "value": value,
            "view": payloads.view_obj(view, self.team, view.values or default_values(view)),
        }
        return self._send_payload(payload)

    def event(self, event: Json, event_id: str | None = None) -> AppReply:
        """An Events API delivery (event_callback); reuse `event_id` to send a duplicate."""
        now = self.fake.state.clock()
        event = {"event_ts": f"{now:.6f}", **event}
        event_id = event_id or self.fake.state.next_id("Ev")
        body = payloads.event_callback(
            self.team, event, event_id, int(now), self.verification_token
        )
        return self.send(json.dumps(body).encode(), "application/json")

    def app_home_opened(self, user_id: str) -> AppReply:
        home = self.fake.home(user_id, self.team_id)
        event = {
            "type": "app_home_opened",
            "user": user_id,
            "tab": "home",
            "channel": self.fake.dm(user_id, self.team_id),
        }
        if home is not None:
            event["view"] = home.to_api(self.team.bot_id)
        return self.event(event)

    def url_verification(self, challenge: str = "fake-challenge") -> AppReply:
        body = {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return self.send(json.dumps(body).encode(), "application/json")
