"""Small builders shared by the use-case tests."""

from datetime import datetime

from perks.admin import SettingsForm, update_settings
from perks.context import Ctx
from perks.events import EventForm, log_event
from perks.kinds import EventKind
from perks.proposals import ProposalForm, Proposed, propose_perk
from tests.conftest import ADMIN, NOW, actor

MANAGER = "UMGR0001"
REP = "UREP0001"


def with_manager(ctx: Ctx, *, now: datetime = NOW, **settings: str) -> None:
    update_settings(ctx, actor(ADMIN), SettingsForm(managers=[MANAGER], **settings), now=now)


def event_for(
    ctx: Ctx,
    customer: str = "Ada Lovelace",
    kind: EventKind = EventKind.NEW_BABY,
    *,
    rep: str = REP,
    now: datetime = NOW,
    **extra: object,
) -> int:
    logged = log_event(ctx, actor(rep), EventForm(customer=customer, kind=kind, **extra), now=now)  # type: ignore[arg-type]
    assert logged.event.id is not None
    return logged.event.id


def propose(
    ctx: Ctx, event_id: int, amount: str, *, rep: str = REP, now: datetime = NOW, **extra: object
) -> Proposed:
    form = ProposalForm(event_id=event_id, amount=amount, description="A gift", **extra)  # type: ignore[arg-type]
    return propose_perk(ctx, actor(rep), form, now=now)
