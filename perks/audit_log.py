"""Reading the audit log (`perkbot audit`): who did what, when, oldest first."""

from datetime import datetime

from perks.context import Ctx
from storage.models import AuditEntry
from storage.repositories import audit


def entries(
    ctx: Ctx, *, team_id: str | None = None, since: datetime | None = None
) -> list[AuditEntry]:
    """Every entry at or after `since`, of one team or (None) of every team."""
    return ctx.db.run(lambda s: audit.entries(session=s, team_id=team_id, since=since), write=False)
