"""Roles and approval routing (SPEC §1), without a database."""

import pytest

from perks.errors import NotAllowed
from perks.roles import (
    ApprovalRoute,
    Role,
    RouteKind,
    approval_route,
    effective_role,
    require_can_decide,
)


def route(**kw: object) -> ApprovalRoute:
    base: dict[str, object] = {
        "rep_id": "UREP",
        "assigned_manager": None,
        "approvals_channel": None,
        "managers": ["UM1", "UM2"],
        "admins": ["UA1"],
    }
    base.update(kw)
    return approval_route(**base)  # type: ignore[arg-type]


def test_assigned_manager_first() -> None:
    assert route(assigned_manager="UM2", approvals_channel="C1") == ApprovalRoute(
        RouteKind.MANAGER_DM, ("UM2",)
    )


def test_then_the_approvals_channel() -> None:
    assert route(approvals_channel="C1") == ApprovalRoute(RouteKind.CHANNEL, ("C1",))


def test_then_every_manager_then_admins() -> None:
    assert route() == ApprovalRoute(RouteKind.APPROVER_DMS, ("UM1", "UM2"))
    assert route(managers=[]) == ApprovalRoute(RouteKind.APPROVER_DMS, ("UA1",))


def test_a_manager_proposing_is_not_sent_their_own_request() -> None:
    assert route(rep_id="UM1") == ApprovalRoute(RouteKind.APPROVER_DMS, ("UM2",))
    assert route(rep_id="UA1", managers=[]) == ApprovalRoute(RouteKind.NOBODY, ())


def test_bootstrap_admins_are_admins() -> None:
    assert effective_role("rep", "UA9", frozenset({"UA9"})) is Role.ADMIN
    assert effective_role(None, "UX", frozenset()) is Role.REP
    assert effective_role("manager", "UX", frozenset()) is Role.MANAGER


@pytest.mark.parametrize(
    ("role", "actor", "allowed"),
    [
        (Role.ADMIN, "UREP", False),
        (Role.ADMIN, "UA1", True),
        (Role.MANAGER, "UM1", True),
        (Role.REP, "UR2", False),
    ],
)
def test_who_may_decide(role: Role, actor: str, allowed: bool) -> None:
    if allowed:
        require_can_decide(role, actor, "UREP")
    else:
        with pytest.raises(NotAllowed):
            require_can_decide(role, actor, "UREP")
