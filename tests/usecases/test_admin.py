"""Settings, roles and reporting lines; every change audited, admins only."""

import pytest

from perks.admin import SettingsForm, assign_manager, team, update_settings
from perks.context import Ctx
from perks.customers import history, set_no_gifts
from perks.errors import InvalidInput, NotAllowed
from perks.proposals import Status
from perks.roles import RouteKind
from storage.repositories import audit
from tests.conftest import ADMIN, NOW, TEAM, actor
from tests.usecases.helpers import MANAGER, REP, event_for, propose, with_manager


def test_settings_change_is_applied_and_audited(ctx: Ctx) -> None:
    ws = update_settings(
        ctx,
        actor(ADMIN),
        SettingsForm(
            team_budget="2,000",
            auto_approve_limit="$10",
            timezone="Europe/Berlin",
            digest_day=4,
            digest_time="08:30",
            approvals_channel="C0APPROVE",
        ),
        now=NOW,
    )
    assert (ws.team_budget, ws.auto_approve_limit, ws.timezone) == (200_000, 1000, "Europe/Berlin")
    assert (ws.digest_day, ws.digest_time, ws.approvals_channel) == (4, "08:30", "C0APPROVE")
    with ctx.db.session_scope(write=False) as s:
        entry = audit.entries(session=s, team_id=TEAM)[-1]
    assert (
        entry.action == "settings.changed"
        and entry.actor == ADMIN
        and "team_budget" in entry.detail
    )


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (SettingsForm(team_budget="lots"), "team_budget"),
        (SettingsForm(max_perk=""), "max_perk"),
        (SettingsForm(currency="XYZ"), "currency"),
        (SettingsForm(budget_period="year"), "budget_period"),
        (SettingsForm(timezone="Mars/Olympus"), "timezone"),
        (SettingsForm(digest_day=7), "digest_day"),
        (SettingsForm(digest_time="25:00"), "digest_time"),
    ],
)
def test_bad_settings_name_the_field(ctx: Ctx, form: SettingsForm, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        update_settings(ctx, actor(ADMIN), form, now=NOW)
    assert err.value.field == field


def test_currency_is_fixed_once_money_was_booked(ctx: Ctx) -> None:
    assert (
        update_settings(ctx, actor(ADMIN), SettingsForm(currency="eur"), now=NOW).currency == "EUR"
    )
    propose(ctx, event_for(ctx), "5")
    with pytest.raises(InvalidInput, match="booked"):
        update_settings(ctx, actor(ADMIN), SettingsForm(currency="USD"), now=NOW)


def test_only_admins_change_settings_and_assign(ctx: Ctx) -> None:
    with_manager(ctx)
    with pytest.raises(NotAllowed):
        update_settings(ctx, actor(MANAGER), SettingsForm(team_budget="5"), now=NOW)
    with pytest.raises(NotAllowed):
        assign_manager(ctx, actor(MANAGER), REP, MANAGER, now=NOW)


def test_assigned_manager_gets_the_request_and_can_be_unassigned(ctx: Ctx) -> None:
    update_settings(ctx, actor(ADMIN), SettingsForm(managers=[MANAGER, "UMGR0002"]), now=NOW)
    assign_manager(ctx, actor(ADMIN), REP, "UMGR0002", now=NOW)
    routed = propose(ctx, event_for(ctx), "60").route
    assert (
        routed is not None
        and routed.kind is RouteKind.MANAGER_DM
        and routed.targets == ("UMGR0002",)
    )
    assert team(ctx, actor(MANAGER)).reports == {"UMGR0002": [REP]}
    assign_manager(ctx, actor(ADMIN), REP, None, now=NOW)
    again = propose(ctx, event_for(ctx, "Grace"), "60").route
    assert again is not None and again.kind is RouteKind.APPROVER_DMS
    assert set(again.targets) == {MANAGER, "UMGR0002"}


def test_manager_must_have_the_role_and_not_be_the_rep(ctx: Ctx) -> None:
    with pytest.raises(NotAllowed, match="not a manager"):
        assign_manager(ctx, actor(ADMIN), REP, "UNOBODY1", now=NOW)
    with pytest.raises(InvalidInput):
        assign_manager(ctx, actor(ADMIN), REP, REP, now=NOW)


def test_approvals_channel_when_no_manager_is_assigned(ctx: Ctx) -> None:
    with_manager(ctx, approvals_channel="C0APPROVE")
    route = propose(ctx, event_for(ctx), "60").route
    assert route is not None and route.kind is RouteKind.CHANNEL and route.targets == ("C0APPROVE",)


def test_admins_get_requests_when_there_is_no_manager(ctx: Ctx) -> None:
    route = propose(ctx, event_for(ctx), "60").route
    assert route is not None and route.kind is RouteKind.APPROVER_DMS and route.targets == (ADMIN,)


def test_removing_a_manager_from_the_list_demotes_them(ctx: Ctx) -> None:
    with_manager(ctx)
    update_settings(ctx, actor(ADMIN), SettingsForm(managers=[]), now=NOW)
    with pytest.raises(NotAllowed):
        team(ctx, actor(MANAGER))


def test_no_gifts_flag_needs_a_reason_and_a_manager(ctx: Ctx) -> None:
    with_manager(ctx)
    event_for(ctx)
    customer = history(ctx, actor(REP), "ada lovelace")[0].customer
    with pytest.raises(NotAllowed):
        set_no_gifts(ctx, actor(REP), customer.id or 0, flag=True, reason="x", now=NOW)
    with pytest.raises(InvalidInput) as err:
        set_no_gifts(ctx, actor(MANAGER), customer.id or 0, flag=True, reason="", now=NOW)
    assert err.value.field == "reason"
    flagged = set_no_gifts(ctx, actor(MANAGER), customer.id or 0, flag=True, reason="Gov", now=NOW)
    assert flagged.no_gifts and flagged.no_gifts_reason == "Gov"
    allowed = set_no_gifts(ctx, actor(MANAGER), customer.id or 0, flag=False, reason=None, now=NOW)
    assert not allowed.no_gifts and allowed.no_gifts_reason is None


def test_history_lists_events_perks_and_notes_of_the_team_only(ctx: Ctx) -> None:
    with_manager(ctx)
    propose(ctx, event_for(ctx), "20")
    found = history(ctx, actor(REP), "ADA LOVELACE")
    assert len(found) == 1
    h = found[0]
    assert (
        len(h.events) == 1 and h.proposals[0].status == Status.AUTO_APPROVED and len(h.notes) == 1
    )
    assert history(ctx, actor(REP, team_id="T9999"), "Ada Lovelace") == []
