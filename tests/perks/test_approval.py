"""The decision on submit, without a database: SPEC §2 order and reasons."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perks.approval import Decision, Outcome, Situation, Why, decide
from perks.budgets import Balance, Limits
from perks.errors import InvalidInput, Refused

LIMITS = Limits(
    team_budget=100_000,
    rep_allowance=10_000,
    auto_approve_limit=2_500,
    customer_cap=15_000,
    max_perk=25_000,
)


def situation(amount: int, **kw: object) -> Situation:
    base: dict[str, object] = {
        "amount": amount,
        "free_note": False,
        "limits": LIMITS,
        "team": Balance(100_000, 0, 0),
        "rep": Balance(10_000, 0, 0),
        "customer_used": 0,
        "no_gifts_reason": None,
        "currency": "USD",
    }
    base.update(kw)
    return Situation(**base)  # type: ignore[arg-type]


def test_small_amount_is_auto_approved() -> None:
    assert decide(situation(2_500)) == Decision(Outcome.AUTO_APPROVED)


def test_each_reason_for_approval() -> None:
    assert decide(situation(2_501)).reasons == (Why.OVER_THRESHOLD,)
    assert decide(situation(1_000, rep=Balance(10_000, 9_500, 0))).reasons == (Why.OVER_ALLOWANCE,)
    assert decide(situation(1_000, customer_used=14_500)).reasons == (Why.OVER_CUSTOMER_CAP,)


def test_free_note_passes_everything_even_when_no_gifts_and_budget_spent() -> None:
    s = situation(0, free_note=True, no_gifts_reason="gov", team=Balance(0, 10, 0))
    assert decide(s).outcome is Outcome.AUTO_APPROVED


@pytest.mark.parametrize("amount", [0, -1, 25_001])
def test_amount_rule_is_a_field_error(amount: int) -> None:
    with pytest.raises(InvalidInput) as err:
        decide(situation(amount))
    assert err.value.field == "amount"


def test_order_amount_then_no_gifts_then_team_budget() -> None:
    broke = Balance(100_000, 100_000, 0)
    with pytest.raises(InvalidInput):
        decide(situation(30_000, no_gifts_reason="gov", team=broke))
    with pytest.raises(Refused, match="no gifts: gov"):
        decide(situation(1_000, no_gifts_reason="gov", team=broke))
    with pytest.raises(Refused, match=r"\$0\.00"):
        decide(situation(1_000, team=broke))


@given(
    amount=st.integers(1, 25_000),
    committed=st.integers(0, 100_000),
    reserved=st.integers(0, 100_000),
    rep_used=st.integers(0, 20_000),
    customer_used=st.integers(0, 20_000),
)
def test_an_accepted_proposal_always_fits_the_team_budget(
    amount: int, committed: int, reserved: int, rep_used: int, customer_used: int
) -> None:
    team = Balance(100_000, committed, reserved)
    s = situation(amount, team=team, rep=Balance(10_000, rep_used, 0), customer_used=customer_used)
    try:
        decision = decide(s)
    except Refused:
        assert amount > team.remaining
        return
    assert team.used + amount <= team.budget
    auto = decision.outcome is Outcome.AUTO_APPROVED
    fits = amount <= 2_500 and rep_used + amount <= 10_000 and customer_used + amount <= 15_000
    assert auto == fits
