"""Roles, who may approve, and where an approval request goes (SPEC §1)."""

from dataclasses import dataclass
from enum import StrEnum

from perks.errors import NotAllowed


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


def effective_role(stored: str | None, user_id: str, bootstrap_admins: frozenset[str]) -> Role:
    """Bootstrap admins (PERKBOT_ADMINS) are admins whatever the database says."""
    if user_id in bootstrap_admins:
        return Role.ADMIN
    return Role(stored) if stored else Role.REP


def is_approver(role: Role) -> bool:
    return role in (Role.MANAGER, Role.ADMIN)


def require_manager(role: Role, what: str) -> None:
    if not is_approver(role):
        raise NotAllowed(f"Only managers and admins can {what}.")


def require_admin(role: Role, what: str) -> None:
    if role is not Role.ADMIN:
        raise NotAllowed(f"Only admins can {what}.")


def require_can_decide(role: Role, actor_id: str, rep_id: str) -> None:
    """Any manager or admin may decide, but never on their own proposal."""
    if actor_id == rep_id:
        raise NotAllowed("You can't approve or reject your own proposal; another approver will.")
    require_manager(role, "approve or reject perks")


class RouteKind(StrEnum):
    MANAGER_DM = "manager_dm"
    CHANNEL = "channel"
    APPROVER_DMS = "approver_dms"
    NOBODY = "nobody"


@dataclass(frozen=True)
class ApprovalRoute:
    kind: RouteKind
    targets: tuple[str, ...]  # user ids for DMs, or the one channel id


def approval_route(
    *,
    rep_id: str,
    assigned_manager: str | None,
    approvals_channel: str | None,
    managers: list[str],
    admins: list[str],
) -> ApprovalRoute:
    """The rep's manager, else the approvals channel, else every manager, else the admins."""
    if assigned_manager and assigned_manager != rep_id:
        return ApprovalRoute(RouteKind.MANAGER_DM, (assigned_manager,))
    if approvals_channel:
        return ApprovalRoute(RouteKind.CHANNEL, (approvals_channel,))
    people = [m for m in managers if m != rep_id] or [a for a in admins if a != rep_id]
    if not people:
        return ApprovalRoute(RouteKind.NOBODY, ())
    return ApprovalRoute(RouteKind.APPROVER_DMS, tuple(dict.fromkeys(people)))
