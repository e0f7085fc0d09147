"""The audit log: who did what, when. Append-only."""

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditEntry


def record(
    *,
    session: Session,
    team_id: str,
    actor: str,
    action: str,
    subject: str = "",
    at: datetime,
    **detail: Any,
) -> None:
    session.add(
        AuditEntry(
            team_id=team_id,
            actor=actor,
            action=action,
            subject=subject,
            detail=json.dumps(detail, sort_keys=True, default=str),
            at=at,
        )
    )


def entries(
    *, session: Session, team_id: str | None = None, since: datetime | None = None
) -> list[AuditEntry]:
    stmt = select(AuditEntry)
    if team_id is not None:
        stmt = stmt.where(AuditEntry.team_id == team_id)
    if since is not None:
        stmt = stmt.where(col(AuditEntry.at) >= since)
    return list(session.exec(stmt.order_by(col(AuditEntry.at), col(AuditEntry.id))).all())
