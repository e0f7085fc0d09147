"""Approve, reject, cancel, expire: one winner, the right ledger row, the right people."""

from datetime import timedelta

import pytest

from perks.context import Ctx
from perks.decisions import AlreadyDecidedProposal, approve, cancel, expire, reject
from perks.errors import InvalidInput, NotAllowed, NotFound
from perks.overview import budget
from perks.proposals import Status
from storage.repositories import ledger
from tests.conftest import ADMIN, NOW, TEAM, actor
from tests.usecases.helpers import MANAGER, REP, event_for, propose, with_manager

LATER = NOW + timedelta(hours=1)


def pending(ctx: Ctx, amount: str = "60", rep: str = REP) -> int:
    result = propose(ctx, event_for(ctx, rep=rep), amount, rep=rep)
    assert result.proposal.status == Status.PENDING
    return result.proposal.id or 0


def entries(ctx: Ctx, proposal_id: int) -> list[str]:
    with ctx.db.session_scope(write=False) as s:
        return [
            e.entry for e in ledger.for_proposal(session=s, team_id=TEAM, proposal_id=proposal_id)
        ]


def test_approve_commits_the_reservation_and_creates_the_note(ctx: Ctx) -> None:
    with_manager(ctx)
    pid = pending(ctx)
    decided = approve(ctx, actor(MANAGER), pid, now=LATER)
    assert decided.proposal.status == Status.APPROVED
    assert decided.proposal.decided_by == MANAGER and decided.proposal.decided_at == LATER
    assert entries(ctx, pid) == ["reserve", "commit"]
    view = budget(ctx, actor(REP), now=LATER)
    assert (view.team.committed, view.team.reserved) == (6000, 0)
    assert decided.note_task is not None and decided.note_task.rep_user_id == REP


def test_reject_needs_a_reason_and_releases(ctx: Ctx) -> None:
    with_manager(ctx)
    pid = pending(ctx)
    with pytest.raises(InvalidInput) as err:
        reject(ctx, actor(MANAGER), pid, reason="  ", now=LATER)
    assert err.value.field == "reason"
    decided = reject(ctx, actor(MANAGER), pid, reason="Too much for a baby gift", now=LATER)
    assert decided.proposal.status == Status.REJECTED
    assert decided.proposal.decision_reason == "Too much for a baby gift"
    assert decided.note_task is None
    assert entries(ctx, pid) == ["reserve", "release"]
    assert budget(ctx, actor(REP), now=LATER).team.remaining == 100_000


def test_nobody_approves_their_own_proposal_not_even_an_admin(ctx: Ctx) -> None:
    with_manager(ctx)
    pid = pending(ctx, rep=ADMIN)
    with pytest.raises(NotAllowed, match="your own"):
        approve(ctx, actor(ADMIN), pid, now=LATER)
    assert approve(ctx, actor(MANAGER), pid, now=LATER).proposal.status == Status.APPROVED


def test_a_rep_cannot_approve(ctx: Ctx) -> None:
    with_manager(ctx)
    pid = pending(ctx)
    with pytest.raises(NotAllowed, match="managers and admins"):
        approve(ctx, actor("UOTHERREP"), pid, now=LATER)
    assert entries(ctx, pid) == ["reserve"]


def test_second_click_changes_nothing_and_names_who_decided(ctx: Ctx) -> None:
    with_manager(ctx)
    pid = pending(ctx)
    approve(ctx, actor(MANAGER), pid, now=LATER)
    for who in (MANAGER, ADMIN):
        with pytest.raises(AlreadyDecidedProposal, match=f"approved by <@{MANAGER}>"):
            reject(ctx, actor(who), pid, reason="late", now=LATER)
    assert entries(ctx, pid) == ["reserve", "commit"]


def test_other_team_cannot_touch_the_proposal(ctx: Ctx) -> None:
    with_manager(ctx)
    pid = pending(ctx)
    with pytest.raises(NotFound):
        approve(ctx, actor(ADMIN, team_id="T9999"), pid, now=LATER)
    assert entries(ctx, pid) == ["reserve"]


def test_cancel_is_for_the_rep_only(ctx: Ctx) -> None:
    with_manager(ctx)
    pid = pending(ctx)
    with pytest.raises(NotAllowed):
        cancel(ctx, actor(MANAGER), pid, now=LATER)
    assert cancel(ctx, actor(REP), pid, now=LATER).proposal.status == Status.CANCELLED
    assert entries(ctx, pid) == ["reserve", "release"]


def test_expire_only_after_72_hours_and_only_once(ctx: Ctx) -> None:
    with_manager(ctx)
    pid = pending(ctx)
    assert expire(ctx, TEAM, pid, now=NOW + timedelta(hours=71)) is None
    expired = expire(ctx, TEAM, pid, now=NOW + timedelta(hours=72))
    assert expired is not None and expired.proposal.status == Status.EXPIRED
    assert expire(ctx, TEAM, pid, now=NOW + timedelta(hours=73)) is None
    assert entries(ctx, pid) == ["reserve", "release"]


def test_an_auto_approved_perk_cannot_be_decided_again(ctx: Ctx) -> None:
    with_manager(ctx)
    pid = propose(ctx, event_for(ctx), "5").proposal.id or 0
    with pytest.raises(AlreadyDecidedProposal, match="auto-approved"):
        approve(ctx, actor(MANAGER), pid, now=LATER)
