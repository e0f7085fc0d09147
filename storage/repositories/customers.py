"""Customers, matched case-insensitively on name + company within a team."""

from sqlmodel import Session, select

from storage.models import Customer


def get(*, session: Session, team_id: str, customer_id: int) -> Customer | None:
    row = session.get(Customer, customer_id)
    return row if row is not None and row.team_id == team_id else None


def find(*, session: Session, team_id: str, name_key: str, company_key: str) -> Customer | None:
    return session.exec(
        select(Customer).where(
            Customer.team_id == team_id,
            Customer.name_key == name_key,
            Customer.company_key == company_key,
        )
    ).first()


def by_name(*, session: Session, team_id: str, name_key: str) -> list[Customer]:
    stmt = select(Customer).where(Customer.team_id == team_id, Customer.name_key == name_key)
    return list(session.exec(stmt.order_by(Customer.company_key)).all())


def add(*, session: Session, customer: Customer) -> Customer:
    session.add(customer)
    session.flush()
    return customer


def search(*, session: Session, team_id: str, prefix: str, limit: int = 100) -> list[Customer]:
    """Customers whose name starts with `prefix` (a match key), then those containing it."""
    like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = (
        select(Customer)
        .where(Customer.team_id == team_id, Customer.forgotten_at.is_(None))  # type: ignore[union-attr]
        .where(Customer.name_key.like(f"%{like}%", escape="\\"))  # type: ignore[attr-defined]
        .order_by(Customer.name_key.like(f"{like}%", escape="\\").desc(), Customer.name_key)  # type: ignore[attr-defined]
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def by_ids(*, session: Session, team_id: str, ids: set[int]) -> dict[int, Customer]:
    if not ids:
        return {}
    stmt = select(Customer).where(Customer.team_id == team_id, Customer.id.in_(ids))  # type: ignore[union-attr]
    return {c.id: c for c in session.exec(stmt).all() if c.id is not None}
