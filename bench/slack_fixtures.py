"""A fake Slack workspace and signed Slack requests for the ack benchmark (`bench.ack`).

`SlackWorld` holds the fake Slack (real HTTP on 127.0.0.1), the users and the
seeded database; it builds the exact bodies Slack sends (a form-encoded slash
command, a `block_actions` click, a `view_submission`), each signed like Slack
(`v0=HMAC_SHA256(secret, "v0:{ts}:{body}")`) at the moment it is built.
"""

import itertools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bench import baseline
from bench.databases import Seed
from bot.blocks.propose_modal import CUSTOM, ProposeChoices, propose_modal
from bot.fakeslack import payloads
from bot.fakeslack.inputs import fill
from bot.fakeslack.server import FakeSlack
from bot.fakeslack.signing import Signing
from bot.ids import Action, Callback, Field
from bot.metadata import ProposalRef, ProposeModalMeta
from perks.admin import SettingsForm, update_settings
from perks.catalog import load_catalog
from perks.context import Actor, Ctx
from perks.events import EventForm, log_event
from perks.kinds import EventKind
from perks.proposals import ProposalForm, propose_perk
from storage.db import Database
from storage.models import Customer, LifeEvent

TEAM = "TBENCHACK"
SECRET = "bench-signing-secret"
ADMIN, MANAGER = "UADMIN01", "UMGR0001"
REPS = tuple(f"UREP{i:04d}" for i in range(1, 9))
AMOUNT = "60.00"  # over the default auto-approve limit: pending, reserved, manager pinged
DESCRIPTION = "Flowers and a card"
SETTINGS = SettingsForm(
    managers=[MANAGER],
    team_budget="10,000,000.00",
    rep_allowance="1,000,000.00",
    customer_cap="1,000,000.00",
    max_perk="250.00",
)
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Signed:
    """One request as Slack sends it: the body and its headers (signature included)."""

    kind: str
    body: bytes
    headers: dict[str, str]


def ctx_for(url: str) -> Ctx:
    return Ctx(db=Database(url), catalog=load_catalog(None), admins=frozenset({ADMIN}))


def _seed(url: str) -> None:
    """A manager, high budgets, and one customer with a life event per rep."""
    ctx = ctx_for(url)
    now = datetime.now(UTC)
    try:
        update_settings(ctx, Actor(TEAM, ADMIN), SETTINGS, now=now)
        for i, rep in enumerate(REPS):
            form = EventForm(
                customer=f"Customer {i:02d}", company="Bench Ltd", kind=EventKind.NEW_BABY
            )
            log_event(ctx, Actor(TEAM, rep), form, now=now)
    finally:
        ctx.db.dispose()


SEED = Seed("ack", _seed)


def event_ids(url: str) -> dict[str, int]:
    """Each rep's life event."""
    conn = baseline.connect(url)
    try:
        rows = conn.rows("SELECT logged_by, id FROM life_events WHERE team_id = %s", (TEAM,))
    finally:
        conn.close()
    return {str(rep): int(event_id) for rep, event_id in rows}


def pending_proposals(url: str, count: int) -> list[int]:
    """`count` pending proposals (reserved, awaiting the manager), spread over the reps."""
    ctx, events = ctx_for(url), event_ids(url)
    now = datetime.now(UTC)
    try:
        made = []
        for rep in itertools.islice(itertools.cycle(REPS), count):
            form = ProposalForm(event_id=events[rep], amount=AMOUNT, description=DESCRIPTION)
            made.append(propose_perk(ctx, Actor(TEAM, rep), form, now=now).proposal.id or 0)
        return made
    finally:
        ctx.db.dispose()


def settings_overrides(fake: FakeSlack, url: str) -> dict[str, Any]:
    """What `perkbot run --http` would read from the environment."""
    return {
        "slack_bot_token": fake.bot_token,
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.api_url,
        "database_url": url,
        "perkbot_admins": [ADMIN],
        "perkbot_scheduler": "off",
        "log_level": "WARNING",
    }


def floor_app(api_url: str, token: str) -> App:
    """The floor: a bare Bolt app whose listeners only ack: /perk, the Approve button and
    the Propose a perk submission (so each request kind has a floor of its own: Bolt's
    parsing of a modal's payload alone costs more than of a slash command's).

    Same middleware as Perkbot (signature check, single-team authorization, whose
    one auth.test goes to the fake), same `process_before_response=True`.
    """
    app = App(
        signing_secret=SECRET,
        client=WebClient(token=token, base_url=api_url),
        token_verification_enabled=False,
        process_before_response=True,
    )

    def noop(ack: Ack) -> None:
        ack()

    app.command("/perk")(noop)
    app.action(Action.APPROVE.value)(noop)
    app.view(Callback.PROPOSE.value)(noop)
    return app


class SlackWorld:
    """The fake Slack with the bench users, and signed requests from them."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.fake = FakeSlack(team_id=TEAM).start()
        for user in (ADMIN, MANAGER, *REPS):
            self.fake.add_user(user)
        self.general = self.fake.add_channel("general", members=[ADMIN, MANAGER, *REPS]).id
        self.signing = Signing(SECRET)
        self._reps = itertools.cycle(REPS)
        self._modals = _filled_modals(url)

    def close(self) -> None:
        self.fake.stop()

    def _sign(self, kind: str, body: bytes, content_type: str) -> Signed:
        headers = {"Content-Type": content_type, **self.signing.headers(body)}
        return Signed(kind, body, headers)

    def _payload(self, kind: str, payload: dict[str, Any]) -> Signed:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self._sign(kind, body, FORM)

    def _common(self, kind: str, user_id: str) -> dict[str, Any]:
        user = self.fake.state.user(user_id)
        assert user is not None
        return payloads.common(kind, self.fake.team, user, "fake-verification-token")

    def budget(self, rep: str | None = None) -> Signed:
        """`/perk budget`, typed by a rep in their DM with Perkbot."""
        rep = rep or next(self._reps)
        state = self.fake.state
        channel, user = state.channel(self.fake.dm(rep)), state.user(rep)
        assert channel is not None and user is not None
        fields = payloads.command_form(
            self.fake.team,
            user,
            channel,
            "/perk",
            "budget",
            response_url=self.fake.response_url_for(channel.id, rep),
            trigger_id=self.fake.new_trigger_id(rep),
            token="fake-verification-token",
        )
        return self._sign("budget", urlencode(fields).encode(), FORM)

    def approve(self, proposal_id: int) -> Signed:
        """The manager clicks **Approve** on the approval request in their DM."""
        dm, ts = self.fake.dm(MANAGER), f"{self.fake.state.clock():.6f}"
        payload = self._common("block_actions", MANAGER)
        payload |= {
            "container": {"type": "message", "message_ts": ts, "channel_id": dm},
            "trigger_id": self.fake.new_trigger_id(MANAGER),
            "channel": {"id": dm, "name": "directmessage"},
            "message": {"type": "message", "ts": ts, "text": "Perk approval needed"},
            "state": {"values": {}},
            "response_url": self.fake.response_url_for(dm, MANAGER, message_ts=ts),
            "actions": [_approve_button(proposal_id, ts)],
        }
        return self._payload("approve", payload)

    def submit(self, rep: str | None = None) -> Signed:
        """A rep submits **Propose a perk** (custom perk, 60.00), with a fresh client_key."""
        rep = rep or next(self._reps)
        modal = self._modals[rep]
        meta = ProposeModalMeta(
            channel=self.general, customer_id=modal.customer_id, event_id=modal.event_id
        )
        view = modal.view | {"private_metadata": meta.dump(), "team_id": self.fake.team.id}
        payload = self._common("view_submission", rep)
        payload |= {
            "trigger_id": self.fake.new_trigger_id(rep),
            "view": view,
            "response_urls": [],
        }
        return self._payload("submit", payload)


def _approve_button(proposal_id: int, ts: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": Action.APPROVE.value,
        "block_id": "decision",
        "text": {"type": "plain_text", "text": "Approve"},
        "style": "primary",
        "value": ProposalRef(proposal_id=proposal_id).dump(),
        "action_ts": ts,
    }


@dataclass(frozen=True)
class FilledModal:
    """A rep's **Propose a perk** modal as Slack holds it, inputs filled in (custom perk)."""

    customer_id: int
    event_id: int
    view: dict[str, Any]  # as in a view_submission payload, state included


def _filled_modals(url: str) -> dict[str, FilledModal]:
    ctx = ctx_for(url)
    try:
        return {rep: _filled(ctx, event_id) for rep, event_id in event_ids(url).items()}
    finally:
        ctx.db.dispose()


def _filled(ctx: Ctx, event_id: int) -> FilledModal:
    customer, event = ctx.db.run(lambda s: _customer_and_event(s, event_id))
    meta = ProposeModalMeta(customer_id=customer.id, event_id=event_id)
    view = propose_modal(meta, ProposeChoices("USD", customer, [event], event_id)).to_dict()
    changes = {
        Field.CUSTOMER.value: str(customer.id),
        Field.EVENT.value: str(event_id),
        Field.PERK.value: CUSTOM,
        Field.AMOUNT.value: AMOUNT,
        Field.DESCRIPTION.value: DESCRIPTION,
    }
    shown = {"id": "VBENCH0001", "hash": "1.bench", **view}
    shown["state"] = {"values": fill(view, changes)}
    return FilledModal(customer.id or 0, event_id, shown)


def _customer_and_event(session: Session, event_id: int) -> tuple[Customer, LifeEvent]:
    event = session.get(LifeEvent, event_id)
    assert event is not None
    customer = session.get(Customer, event.customer_id)
    assert customer is not None
    session.expunge_all()
    return customer, event
