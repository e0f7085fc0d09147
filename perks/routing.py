"""Who gets an approval request, read from the members of the workspace."""

from collections.abc import Sequence

from sqlmodel import Session

from perks.context import Ctx
from perks.roles import ApprovalRoute, Role, approval_route
from storage.models import Member, Workspace
from storage.repositories import members

APPROVER_ROLES = (Role.MANAGER.value, Role.ADMIN.value)


def route_for(ctx: Ctx, session: Session, ws: Workspace, rep_id: str) -> ApprovalRoute:
    return route_among(ctx, ws, rep_id, people_for_route(session, ws.team_id, rep_id))


def people_for_route(session: Session, team_id: str, rep_id: str) -> list[Member]:
    """The rep's member row, if any, and every manager and admin: one query."""
    return members.with_role_and(
        session=session, team_id=team_id, roles=APPROVER_ROLES, user_id=rep_id
    )


def route_among(ctx: Ctx, ws: Workspace, rep_id: str, people: Sequence[Member]) -> ApprovalRoute:
    """The route, given `people_for_route` (ordered by user id)."""
    rep = next((m for m in people if m.user_id == rep_id), None)
    return approval_route(
        rep_id=rep_id,
        assigned_manager=rep.manager_user_id if rep else None,
        approvals_channel=ws.approvals_channel,
        managers=[m.user_id for m in people if m.role == Role.MANAGER],
        admins=[m.user_id for m in people if m.role == Role.ADMIN] + sorted(ctx.admins),
    )
