"""Admin use cases: workspace settings, managers, who reports to whom."""

import re
from dataclasses import dataclass, fields
from datetime import datetime
from typing import NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from perks.calendar import BudgetPeriod
from perks.context import Actor, Ctx, role_of
from perks.errors import InvalidInput, NotAllowed
from perks.money import is_known_currency, parse_amount
from perks.roles import Role, effective_role, is_approver, require_admin, require_manager
from storage.models import Member, Workspace
from storage.repositories import audit, ledger, members, workspaces

MONEY_FIELDS = ("team_budget", "rep_allowance", "auto_approve_limit", "customer_cap", "max_perk")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class SettingsForm:
    """What the settings modal submits; None leaves a setting unchanged. Money as typed."""

    managers: list[str] | None = None
    approvals_channel: str | None = None
    digest_channel: str | None = None
    currency: str | None = None
    budget_period: str | None = None
    team_budget: str | None = None
    rep_allowance: str | None = None
    auto_approve_limit: str | None = None
    customer_cap: str | None = None
    max_perk: str | None = None
    timezone: str | None = None
    digest_day: int | None = None
    digest_time: str | None = None


def update_settings(ctx: Ctx, actor: Actor, form: SettingsForm, *, now: datetime) -> Workspace:
    def work(session: Session) -> Workspace:
        require_admin(role_of(ctx, session, actor), "change Perkbot settings")
        ws = workspaces.lock(session=session, team_id=actor.team_id, now=now)
        changes = _validated(session, ws, form)
        for key, value in changes.items():
            setattr(ws, key, value)
        ws.updated_at = now
        session.add(ws)
        if form.managers is not None:
            _set_managers(ctx, session, actor, form.managers, now)
        audit.record(
            session=session,
            team_id=actor.team_id,
            actor=actor.user_id,
            action="settings.changed",
            at=now,
            changes=changes,
        )
        return ws

    return ctx.db.run(work)


def _validated(session: Session, ws: Workspace, form: SettingsForm) -> dict[str, object]:
    changes: dict[str, object] = {}
    currency = ws.currency
    if form.currency is not None:
        currency = _currency(session, ws, form.currency)
        changes["currency"] = currency
    for f in fields(form):
        value = getattr(form, f.name)
        if value is None or f.name in ("managers", "currency"):
            continue
        changes[f.name] = _one(f.name, value, currency)
    return {k: v for k, v in changes.items() if getattr(ws, k) != v}


def _one(name: str, value: object, currency: str) -> object:
    if name in MONEY_FIELDS:
        return _money(name, str(value), currency)
    if name == "budget_period":
        if value not in {p.value for p in BudgetPeriod}:
            raise InvalidInput("Budget period must be month or week.", field=name)
        return value
    if name == "timezone":
        return _timezone(str(value))
    if name == "digest_day":
        if not isinstance(value, int) or not 0 <= value <= 6:
            raise InvalidInput("Digest day must be a day of the week.", field=name)
        return value
    if name == "digest_time":
        if not _TIME.match(str(value)):
            raise InvalidInput("Digest time must be HH:MM, 24-hour (e.g. 09:00).", field=name)
        return value
    return str(value).strip() or None  # channels: empty clears


def _money(name: str, text: str, currency: str) -> int:
    if not text.strip():
        _required(name)
    try:
        return parse_amount(text, currency)
    except InvalidInput as exc:  # same rule, but shown under this setting's field
        raise InvalidInput(exc.message, field=name) from None


def _required(name: str) -> NoReturn:
    raise InvalidInput(f"{name.replace('_', ' ').capitalize()} is required.", field=name)


def _currency(session: Session, ws: Workspace, value: str) -> str:
    code = value.strip().upper()
    if not is_known_currency(code):
        raise InvalidInput(
            "Currency must be an ISO 4217 code such as USD or EUR.", field="currency"
        )
    if code != ws.currency and ledger.has_entries(session=session, team_id=ws.team_id):
        raise InvalidInput(
            "Currency can't change once perks have been booked: budgets would no longer add up.",
            field="currency",
        )
    return code


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            "Timezone must be an IANA name such as Europe/Berlin.", field="timezone"
        ) from None
    return value.strip()


def _set_managers(
    ctx: Ctx, session: Session, actor: Actor, wanted: list[str], now: datetime
) -> None:
    """Exactly the listed people are managers (admins stay admins)."""
    wanted_set = set(wanted)
    for member in members.with_role(
        session=session, team_id=actor.team_id, roles=(Role.MANAGER.value,)
    ):
        if member.user_id not in wanted_set:
            _set_role(session, member, Role.REP, actor, now)
    for user_id in wanted_set:
        member = members.ensure(session=session, team_id=actor.team_id, user_id=user_id)
        if effective_role(member.role, user_id, ctx.admins) is Role.REP:
            _set_role(session, member, Role.MANAGER, actor, now)


def _set_role(session: Session, member: Member, role: Role, actor: Actor, now: datetime) -> None:
    member.role = role.value
    session.add(member)
    audit.record(
        session=session,
        team_id=actor.team_id,
        actor=actor.user_id,
        action="member.role",
        subject=f"user:{member.user_id}",
        at=now,
        role=role.value,
    )


def set_role(ctx: Ctx, actor: Actor, user_id: str, role: Role, *, now: datetime) -> Member:
    def work(session: Session) -> Member:
        require_admin(role_of(ctx, session, actor), "change roles")
        workspaces.ensure(session=session, team_id=actor.team_id, now=now)
        member = members.ensure(session=session, team_id=actor.team_id, user_id=user_id)
        _set_role(session, member, role, actor, now)
        return member

    return ctx.db.run(work)


def assign_manager(
    ctx: Ctx, actor: Actor, rep_id: str, manager_id: str | None, *, now: datetime
) -> Member:
    """Set (or, with None, clear) the rep's approver."""

    def work(session: Session) -> Member:
        require_admin(role_of(ctx, session, actor), "assign managers")
        workspaces.ensure(session=session, team_id=actor.team_id, now=now)
        if manager_id is not None:
            _check_manager(ctx, session, actor.team_id, rep_id, manager_id)
        rep = members.ensure(session=session, team_id=actor.team_id, user_id=rep_id)
        rep.manager_user_id = manager_id
        session.add(rep)
        audit.record(
            session=session,
            team_id=actor.team_id,
            actor=actor.user_id,
            action="member.manager",
            subject=f"user:{rep_id}",
            at=now,
            manager=manager_id,
        )
        return rep

    return ctx.db.run(work)


def _check_manager(ctx: Ctx, session: Session, team_id: str, rep_id: str, manager_id: str) -> None:
    if manager_id == rep_id:
        raise InvalidInput("A rep can't be their own manager.")
    manager = members.get(session=session, team_id=team_id, user_id=manager_id)
    if not is_approver(effective_role(manager.role if manager else None, manager_id, ctx.admins)):
        raise NotAllowed(f"<@{manager_id}> is not a manager yet; add them in /perk settings first.")


@dataclass(frozen=True)
class TeamView:
    managers: list[str]
    admins: list[str]
    reports: dict[str, list[str]]  # manager -> reps


def team(ctx: Ctx, actor: Actor) -> TeamView:
    def work(session: Session) -> TeamView:
        require_manager(role_of(ctx, session, actor), "see the team")
        everyone = members.all_members(session=session, team_id=actor.team_id)
        reports: dict[str, list[str]] = {}
        for m in everyone:
            if m.manager_user_id:
                reports.setdefault(m.manager_user_id, []).append(m.user_id)
        return TeamView(
            managers=[m.user_id for m in everyone if m.role == Role.MANAGER],
            admins=sorted({m.user_id for m in everyone if m.role == Role.ADMIN} | ctx.admins),
            reports=reports,
        )

    return ctx.db.run(work, write=False)


def role(ctx: Ctx, actor: Actor) -> Role:
    return ctx.db.run(lambda s: role_of(ctx, s, actor), write=False)


def current_settings(ctx: Ctx, actor: Actor, *, now: datetime) -> tuple[Workspace, list[str]]:
    """The workspace settings and its managers, for the settings modal (admins only)."""

    def work(session: Session) -> tuple[Workspace, list[str]]:
        require_admin(role_of(ctx, session, actor), "change Perkbot settings")
        ws = workspaces.ensure(session=session, team_id=actor.team_id, now=now)
        managers = members.with_role(
            session=session, team_id=actor.team_id, roles=(Role.MANAGER.value,)
        )
        return ws, [m.user_id for m in managers]

    return ctx.db.run(work)
