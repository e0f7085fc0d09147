"""Every event, proposal, decision, setting, role change and erasure leaves an audit entry."""

from datetime import timedelta

from perks import audit_log
from perks.admin import assign_manager
from perks.context import Ctx
from perks.customers import set_no_gifts
from perks.decisions import approve, cancel, expire, reject
from perks.erasure import candidates, forget
from perks.events import mark_resolved
from perks.kinds import EventKind
from perks.notetasks import mark_sent
from tests.conftest import ADMIN, NOW, TEAM, actor
from tests.usecases.helpers import MANAGER, REP, event_for, propose, with_manager

LATER = NOW + timedelta(hours=1)


def test_the_whole_life_of_a_workspace_is_in_the_audit_log(ctx: Ctx) -> None:
    with_manager(ctx)
    assign_manager(ctx, actor(ADMIN), REP, MANAGER, now=NOW)
    issue = event_for(ctx, "Ada", EventKind.SERVICE_RECOVERY, resolved=False)
    mark_resolved(ctx, actor(REP), issue, now=NOW)
    auto = propose(ctx, issue, "20")
    assert auto.note_task is not None
    mark_sent(ctx, actor(REP), auto.note_task.id or 0, now=LATER)
    ids = [propose(ctx, event_for(ctx, f"C{i}"), "60").proposal.id or 0 for i in range(4)]
    approve(ctx, actor(MANAGER), ids[0], now=LATER)
    reject(ctx, actor(MANAGER), ids[1], reason="No", now=LATER)
    cancel(ctx, actor(REP), ids[2], now=LATER)
    assert expire(ctx, TEAM, ids[3], now=NOW + timedelta(hours=73)) is not None
    [ada] = candidates(ctx, actor(ADMIN), "Ada")
    set_no_gifts(ctx, actor(MANAGER), ada.customer_id, flag=True, reason="Gov", now=LATER)
    forget(ctx, actor(ADMIN), ada.customer_id, now=LATER)

    log = audit_log.entries(ctx, team_id=TEAM)
    seen = {(e.action, e.actor) for e in log}
    assert seen >= {
        ("member.role", ADMIN),
        ("settings.changed", ADMIN),
        ("member.manager", ADMIN),
        ("event.logged", REP),
        ("event.resolved", REP),
        ("proposal.auto_approved", REP),
        ("note.sent", REP),
        ("proposal.pending", REP),
        ("proposal.approved", MANAGER),
        ("proposal.rejected", MANAGER),
        ("proposal.cancelled", REP),
        ("proposal.expired", "perkbot"),
        ("customer.no_gifts", MANAGER),
        ("customer.forgotten", ADMIN),
    }
    assert [e.subject for e in log if e.action == "proposal.approved"] == [f"proposal:{ids[0]}"]
    assert all(e.at.tzinfo is not None for e in log)
    assert audit_log.entries(ctx, team_id="T0002") == []
    since = NOW + timedelta(hours=73)  # oldest first; --since keeps what is not older
    assert [e.action for e in audit_log.entries(ctx, since=since)] == ["proposal.expired"]
