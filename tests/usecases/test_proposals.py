"""Propose a perk: SPEC §2 'Decision on submit', through the use case and a real database."""

from datetime import timedelta

import pytest

from perks.admin import SettingsForm, update_settings
from perks.approval import Outcome, Why
from perks.context import Ctx
from perks.customers import set_no_gifts
from perks.errors import InvalidInput, NotFound, Refused
from perks.events import mark_resolved
from perks.kinds import EventKind
from perks.overview import budget
from perks.proposals import ProposalForm, Status, propose_perk
from perks.roles import RouteKind
from storage.repositories import audit, ledger
from tests.conftest import ADMIN, NOW, TEAM, actor
from tests.usecases.helpers import MANAGER, REP, event_for, propose, with_manager


def test_small_perk_is_auto_approved_and_committed(ctx: Ctx) -> None:
    with_manager(ctx)
    result = propose(ctx, event_for(ctx), "20.00")
    assert result.decision.outcome is Outcome.AUTO_APPROVED
    assert result.proposal.status == Status.AUTO_APPROVED
    assert result.route is None  # pings nobody
    assert result.team.committed == 2000 and result.team.reserved == 0
    assert result.rep.remaining == 10_000 - 2000
    assert result.note_task is not None and "Ada" in (result.note_task.wording or "")


def test_over_threshold_goes_pending_reserved_and_routed(ctx: Ctx) -> None:
    with_manager(ctx)
    result = propose(ctx, event_for(ctx), "$30")
    assert result.decision.outcome is Outcome.PENDING
    assert result.decision.reasons == (Why.OVER_THRESHOLD,)
    assert (result.team.committed, result.team.reserved) == (0, 3000)
    assert result.route is not None and result.route.kind is RouteKind.APPROVER_DMS
    assert result.route.targets == (MANAGER,)
    assert result.note_task is None  # only once approved


def test_pending_reasons_name_allowance_and_customer_cap(ctx: Ctx) -> None:
    with_manager(ctx, rep_allowance="50", customer_cap="70")
    event = event_for(ctx)
    propose(ctx, event, "25")
    second = propose(ctx, event, "25")  # 50 used of 50: fits the allowance exactly
    assert second.decision.outcome is Outcome.AUTO_APPROVED
    third = propose(ctx, event, "24")
    assert set(third.decision.reasons) == {Why.OVER_ALLOWANCE, Why.OVER_CUSTOMER_CAP}


@pytest.mark.parametrize("amount", ["0", "0.00"])
def test_zero_amount_is_a_field_error(ctx: Ctx, amount: str) -> None:
    with pytest.raises(InvalidInput) as err:
        propose(ctx, event_for(ctx), amount)
    assert err.value.field == "amount"


def test_amount_over_largest_perk_is_a_field_error(ctx: Ctx) -> None:
    with pytest.raises(InvalidInput, match="largest single perk") as err:
        propose(ctx, event_for(ctx), "250.01")
    assert err.value.field == "amount"


@pytest.mark.parametrize("text", ["-5", "abc", "1e9", "12.345", "NaN", "∞", " "])
def test_bad_amount_text_is_a_field_error(ctx: Ctx, text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        propose(ctx, event_for(ctx), text)
    assert err.value.field == "amount"
    with ctx.db.session_scope(write=False) as s:
        assert not ledger.has_entries(session=s, team_id=TEAM)


def test_no_gifts_customer_is_refused_but_a_free_note_is_allowed(ctx: Ctx) -> None:
    with_manager(ctx)
    event = event_for(ctx)
    with ctx.db.session_scope(write=False) as s:
        from storage.repositories import events

        customer_id = events.get(session=s, team_id=TEAM, event_id=event).customer_id  # type: ignore[union-attr]
    set_no_gifts(ctx, actor(MANAGER), customer_id, flag=True, reason="Government buyer", now=NOW)
    with pytest.raises(Refused, match="Government buyer"):
        propose(ctx, event, "10")
    note = propose_perk(
        ctx, actor(REP), ProposalForm(event_id=event, item_id="handwritten_note"), now=NOW
    )
    assert note.proposal.amount == 0 and note.proposal.status == Status.AUTO_APPROVED
    assert note.note_task is not None


def test_team_budget_refusal_says_how_much_is_left(ctx: Ctx) -> None:
    with_manager(ctx, team_budget="100", rep_allowance="1000")
    event = event_for(ctx)
    propose(ctx, event, "80")  # pending: over threshold, reserved
    with pytest.raises(Refused, match=r"\$20\.00"):
        propose(ctx, event_for(ctx, "Grace Hopper"), "21")
    assert (
        propose(ctx, event_for(ctx, "Alan Turing"), "20").decision.outcome is Outcome.AUTO_APPROVED
    )


def test_decision_order_max_perk_before_no_gifts_before_team_budget(ctx: Ctx) -> None:
    with_manager(ctx, team_budget="10", max_perk="50")
    event = event_for(ctx)
    with ctx.db.session_scope(write=False) as s:
        from storage.repositories import events

        customer_id = events.get(session=s, team_id=TEAM, event_id=event).customer_id  # type: ignore[union-attr]
    set_no_gifts(ctx, actor(ADMIN), customer_id, flag=True, reason="Regulated", now=NOW)
    with pytest.raises(InvalidInput):
        propose(ctx, event, "60")  # 1. largest perk
    with pytest.raises(Refused, match="no gifts"):
        propose(ctx, event, "40")  # 2. no gifts, before 3. team budget


def test_unresolved_service_recovery_blocks_perks_until_resolved(ctx: Ctx) -> None:
    event = event_for(ctx, kind=EventKind.SERVICE_RECOVERY, resolved=False)
    with pytest.raises(Refused, match="resolved") as err:
        propose(ctx, event, "10")
    assert err.value.field == "event"
    mark_resolved(ctx, actor(REP), event, now=NOW)
    assert propose(ctx, event, "10").decision.outcome is Outcome.AUTO_APPROVED


def test_promotional_item_is_refused_for_a_sensitive_event(ctx: Ctx) -> None:
    promo = next(i for i in ctx.catalog.items if i.promotional)
    event = event_for(ctx, kind=EventKind.BEREAVEMENT)
    with pytest.raises(InvalidInput) as err:
        propose_perk(ctx, actor(REP), ProposalForm(event_id=event, item_id=promo.id), now=NOW)
    assert err.value.field == "perk"


def test_catalog_item_takes_its_price_when_amount_is_empty(ctx: Ctx) -> None:
    item = next(i for i in ctx.catalog.active_items if 0 < i.cost_minor("USD") <= 2500)
    kind = min(
        (k for k in item.kinds or {EventKind.OTHER} if k is not EventKind.SERVICE_RECOVERY),
        default=EventKind.OTHER,
    )
    event = event_for(ctx, kind=kind)  # a fixed, ungated kind whatever the hash seed
    result = propose_perk(ctx, actor(REP), ProposalForm(event_id=event, item_id=item.id), now=NOW)
    assert result.proposal.amount == item.cost_minor("USD")
    assert result.proposal.description == item.name


def test_custom_perk_needs_a_description(ctx: Ctx) -> None:
    form = ProposalForm(event_id=event_for(ctx), amount="10")
    with pytest.raises(InvalidInput) as err:
        propose_perk(ctx, actor(REP), form, now=NOW)
    assert err.value.field == "description"


def test_same_client_key_twice_makes_one_proposal_and_one_reserve(ctx: Ctx) -> None:
    with_manager(ctx)
    event = event_for(ctx)
    first = propose(ctx, event, "40", client_key="k-1")
    again = propose(ctx, event, "40", client_key="k-1")
    assert again.replayed and again.proposal.id == first.proposal.id
    with ctx.db.session_scope(write=False) as s:
        rows = ledger.for_proposal(session=s, team_id=TEAM, proposal_id=first.proposal.id or 0)
    assert [r.entry for r in rows] == ["reserve"]


def test_a_replayed_submission_reports_what_the_first_made(ctx: Ctx) -> None:
    event = event_for(ctx)
    first = propose(ctx, event, "10", client_key="k-2")  # small: auto-approved, note due
    again = propose(ctx, event, "10", client_key="k-2")
    assert again.replayed and first.note_task is not None and again.note_task is not None
    assert again.note_task.id == first.note_task.id
    assert again.rep.remaining == first.rep.remaining


def test_other_teams_event_is_not_found(ctx: Ctx) -> None:
    event = event_for(ctx)
    with pytest.raises(NotFound):
        propose_perk(
            ctx,
            actor(REP, team_id="T9999"),
            ProposalForm(event_id=event, amount="5", description="x"),
            now=NOW,
        )


def test_budget_view_and_period_rollover(ctx: Ctx) -> None:
    with_manager(ctx)
    propose(ctx, event_for(ctx), "20")
    assert budget(ctx, actor(REP), now=NOW).rep.committed == 2000
    next_month = budget(ctx, actor(REP), now=NOW + timedelta(days=20))
    assert next_month.period.start.month == 12 and next_month.rep.committed == 0


def test_week_period_setting_changes_the_period(ctx: Ctx) -> None:
    update_settings(ctx, actor(ADMIN), SettingsForm(budget_period="week"), now=NOW)
    propose(ctx, event_for(ctx), "20")
    assert budget(ctx, actor(REP), now=NOW + timedelta(days=7)).team.committed == 0
    assert budget(ctx, actor(REP), now=NOW + timedelta(days=3)).team.committed == 2000


def test_every_proposal_writes_an_audit_entry(ctx: Ctx) -> None:
    with_manager(ctx)
    propose(ctx, event_for(ctx), "20")
    with ctx.db.session_scope(write=False) as s:
        actions = [e.action for e in audit.entries(session=s, team_id=TEAM)]
    assert "event.logged" in actions and "proposal.auto_approved" in actions
