"""The audit log: who did what, when. Append-only."""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session, col, select

from storage.db import connection
from storage.models import AuditEntry

_A: Table = AuditEntry.__table__  # type: ignore[attr-defined]
_INSERT = insert(_A)


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
    connection(session).execute(
        _INSERT,
        {
            "team_id": team_id,
            "actor": actor,
            "action": action,
            "subject": subject,
            "detail": json.dumps(detail, sort_keys=True, default=str),
            "at": at,
        },
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
