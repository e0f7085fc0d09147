"""What the bot has posted or received: approval message copies, processed events, claims."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import ApprovalMessage, ProcessedEvent, Proposal


def add_approval_message(
    *, session: Session, team_id: str, proposal_id: int, channel: str, ts: str
) -> None:
    session.add(ApprovalMessage(team_id=team_id, proposal_id=proposal_id, channel=channel, ts=ts))
    session.flush()


def approval_messages(*, session: Session, team_id: str, proposal_id: int) -> list[ApprovalMessage]:
    stmt = select(ApprovalMessage).where(
        ApprovalMessage.team_id == team_id, ApprovalMessage.proposal_id == proposal_id
    )
    return list(session.exec(stmt.order_by(col(ApprovalMessage.id))).all())


def claim(*, session: Session, team_id: str, proposal_id: int, column: str, now: datetime) -> bool:
    """Set `column` (requested_at / notified_at) if still empty. True if this call claimed it."""
    target = getattr(Proposal, column)
    result = session.execute(
        update(Proposal)
        .where(col(Proposal.id) == proposal_id, Proposal.team_id == team_id, target.is_(None))
        .values({column: now})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def first_delivery(*, session: Session, team_id: str, event_id: str, now: datetime) -> bool:
    """Record an Events API event_id; False if it was already handled (a retry)."""
    try:
        with session.begin_nested():
            session.add(ProcessedEvent(team_id=team_id, event_id=event_id, received_at=now))
    except IntegrityError:
        return False
    return True
