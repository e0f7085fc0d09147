"""Forgetting a customer: no table holds their name or words afterwards; budgets unchanged."""

from datetime import timedelta

import pytest

from perks import planning
from perks.context import Ctx
from perks.customers import history, set_no_gifts
from perks.decisions import approve, reject
from perks.erasure import candidates, forget
from perks.errors import NotAllowed, NotFound
from perks.kinds import EventKind
from perks.notetasks import skip
from perks.overview import budget
from perks.proposals import ProposalForm, Proposed, propose_perk
from storage.repositories import audit
from tests.conftest import ADMIN, NOW, TEAM, actor
from tests.erasure_check import text_columns_holding
from tests.usecases.helpers import MANAGER, REP, event_for, propose, with_manager

NAME = "Zelda Quixfernsby"
COMPANY = "Quixfernsby Holdings"
LATER = NOW + timedelta(hours=3)
# Every piece of text about the customer that the flow below stores somewhere.
SECRETS = (NAME, COMPANY, "s twins arrived", "tulips", "moved away", "had one", "Spa day", "p17000")


def custom(ctx: Ctx, event_id: int, amount: str, description: str) -> Proposed:
    form = ProposalForm(event_id=event_id, amount=amount, description=description)
    return propose_perk(ctx, actor(REP), form, now=NOW)


def a_customer_with_everything(ctx: Ctx) -> None:
    """Events, perks of every outcome, notes sent and skipped, flags, outbox rows."""
    with_manager(ctx)
    first = event_for(
        ctx,
        NAME,
        company=COMPANY,
        notes=f"{NAME}'s twins arrived",
        permalink="https://acme.slack.com/archives/C1/p1700000000",
    )
    auto = propose(ctx, first, "20", note_idea=f"Dear {NAME}, favourite tulips")
    assert auto.note_task is not None
    skip(ctx, actor(REP), auto.note_task.id or 0, reason=f"{NAME} moved away", now=NOW)
    birthday = event_for(ctx, NAME, EventKind.BIRTHDAY, company=COMPANY, notes="favourite tulips")
    approved = custom(ctx, birthday, "60", f"Tulips for {NAME}")
    approve(ctx, actor(MANAGER), approved.proposal.id or 0, now=LATER)
    rejected = custom(ctx, birthday, "70", f"Spa day, {COMPANY}")
    reject(ctx, actor(MANAGER), rejected.proposal.id or 0, reason=f"{NAME} had one", now=LATER)
    custom(ctx, birthday, "65", "Pending gift")  # still pending
    [customer] = candidates(ctx, actor(ADMIN), NAME)
    set_no_gifts(
        ctx, actor(MANAGER), customer.customer_id, flag=True, reason=f"{COMPANY} rules", now=LATER
    )
    planning.plan_reminders(ctx, LATER + timedelta(days=5))  # note reminders in the outbox
    planning.plan_recurring(ctx, NOW + timedelta(days=358))  # a birthday heads-up


def test_no_text_column_holds_the_customer_afterwards_and_budgets_are_unchanged(
    ctx: Ctx,
) -> None:
    a_customer_with_everything(ctx)
    event_for(ctx, "Ada Lovelace", notes="twins arrived too")  # someone else: kept
    assert all(
        text_columns_holding(ctx.db.engine, s) for s in SECRETS
    )  # stored, and the search sees it
    before = budget(ctx, actor(REP), now=LATER)
    [customer] = candidates(ctx, actor(ADMIN), NAME.upper())

    done = forget(ctx, actor(ADMIN), customer.customer_id, now=LATER)

    assert (done.events, done.proposals, done.notes) == (2, 4, 2)
    for secret in SECRETS:
        assert text_columns_holding(ctx.db.engine, secret) == [], secret
    assert text_columns_holding(ctx.db.engine, "twins arrived too") == [
        "life_events.notes"
    ]  # Ada's
    assert budget(ctx, actor(REP), now=LATER) == before
    assert candidates(ctx, actor(ADMIN), NAME) == [] and history(ctx, actor(REP), NAME) == []


def test_the_erasure_is_audited_without_the_name(ctx: Ctx) -> None:
    a_customer_with_everything(ctx)
    [customer] = candidates(ctx, actor(ADMIN), NAME)
    forget(ctx, actor(ADMIN), customer.customer_id, now=LATER)
    with ctx.db.session_scope(write=False) as s:
        entry = audit.entries(session=s, team_id=TEAM)[-1]
    assert (entry.action, entry.actor, entry.subject) == (
        "customer.forgotten",
        ADMIN,
        f"customer:{customer.customer_id}",
    )
    assert NAME not in entry.detail and '"proposals": 4' in entry.detail


def test_only_admins_forget_once_and_only_in_their_team(ctx: Ctx) -> None:
    event_for(ctx, NAME)
    with pytest.raises(NotAllowed):
        candidates(ctx, actor(MANAGER), NAME)
    [customer] = candidates(ctx, actor(ADMIN), NAME)
    with pytest.raises(NotAllowed):
        forget(ctx, actor(REP), customer.customer_id, now=NOW)
    with pytest.raises(NotFound):  # another workspace's admin
        forget(ctx, actor(ADMIN, team_id="T0002"), customer.customer_id, now=NOW)
    assert candidates(ctx, actor(ADMIN), NAME) == [customer]
    forget(ctx, actor(ADMIN), customer.customer_id, now=NOW)
    with pytest.raises(NotFound):
        forget(ctx, actor(ADMIN), customer.customer_id, now=NOW)
    # Whatever a rep types later, nothing is filed under the forgotten customer again.
    for typed in (NAME, "Forgotten customer", f"forgotten:{customer.customer_id}"):
        event_for(ctx, typed)
        [again] = candidates(ctx, actor(ADMIN), typed)
        assert again.customer_id != customer.customer_id
