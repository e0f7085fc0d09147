"""Who gets an approval request, read from the members of the workspace."""

from sqlmodel import Session

from perks.context import Ctx
from perks.roles import ApprovalRoute, Role, approval_route
from storage.models import Workspace
from storage.repositories import members


def route_for(ctx: Ctx, session: Session, ws: Workspace, rep_id: str) -> ApprovalRoute:
    rep = members.get(session=session, team_id=ws.team_id, user_id=rep_id)
    managers = members.with_role(session=session, team_id=ws.team_id, roles=(Role.MANAGER.value,))
    admins = members.with_role(session=session, team_id=ws.team_id, roles=(Role.ADMIN.value,))
    return approval_route(
        rep_id=rep_id,
        assigned_manager=rep.manager_user_id if rep else None,
        approvals_channel=ws.approvals_channel,
        managers=[m.user_id for m in managers],
        admins=[a.user_id for a in admins] + sorted(ctx.admins),
    )
