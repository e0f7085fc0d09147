"""The decision on submit, exactly in SPEC §2's order."""

from dataclasses import dataclass
from enum import StrEnum

from perks.budgets import Balance, Limits
from perks.errors import InvalidInput, Refused
from perks.money import format_amount


class Outcome(StrEnum):
    AUTO_APPROVED = "auto_approved"
    PENDING = "pending"


class Why(StrEnum):
    """Why a proposal needs a person's yes (shown on the approval request)."""

    OVER_THRESHOLD = "over the auto-approve limit"
    OVER_ALLOWANCE = "over the rep's allowance"
    OVER_CUSTOMER_CAP = "over the per-customer cap"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reasons: tuple[Why, ...] = ()


@dataclass(frozen=True)
class Situation:
    """Everything the rule needs, read inside the submitting transaction."""

    amount: int
    free_note: bool
    limits: Limits
    team: Balance
    rep: Balance
    customer_used: int
    no_gifts_reason: str | None  # None when gifts are allowed
    currency: str

    def fmt(self, minor: int) -> str:
        return format_amount(minor, self.currency)


def decide(s: Situation) -> Decision:
    _check_amount(s)
    if s.no_gifts_reason is not None and s.amount > 0:
        raise Refused(
            f"This customer is flagged no gifts: {s.no_gifts_reason}. "
            "A free handwritten note is still welcome."
        )
    if s.amount > 0 and s.amount > s.team.remaining:
        left = max(s.team.remaining, 0)
        raise Refused(f"That is more than the team budget has left this period ({s.fmt(left)}).")
    reasons = _reasons(s)
    if not reasons:
        return Decision(Outcome.AUTO_APPROVED)
    return Decision(Outcome.PENDING, reasons)


def _check_amount(s: Situation) -> None:
    check_amount(s.amount, free_note=s.free_note, max_perk=s.limits.max_perk, currency=s.currency)


def check_amount(amount: int, *, free_note: bool, max_perk: int, currency: str) -> None:
    """SPEC §2 step 1: more than zero (but the free note) and at most the largest perk."""
    if free_note:
        return
    if amount <= 0:
        raise InvalidInput("Amount must be more than zero.", field="amount")
    if amount > max_perk:
        raise InvalidInput(
            f"Amount must be at most {format_amount(max_perk, currency)}, the largest single perk.",
            field="amount",
        )


def _reasons(s: Situation) -> tuple[Why, ...]:
    if s.amount == 0:
        return ()
    reasons = []
    if s.amount > s.limits.auto_approve_limit:
        reasons.append(Why.OVER_THRESHOLD)
    if s.amount > s.rep.remaining:
        reasons.append(Why.OVER_ALLOWANCE)
    if s.customer_used + s.amount > s.limits.customer_cap:
        reasons.append(Why.OVER_CUSTOMER_CAP)
    return tuple(reasons)
