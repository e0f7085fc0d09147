"""The checks a proposal gets before the ack: its fields and the settings, no database."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perks.catalog import load_catalog
from perks.context import Ctx
from perks.errors import InvalidInput
from perks.proposal_form import DESCRIPTION_MAX, ProposalForm, check_form
from storage.models import Workspace

NOW = datetime(2026, 11, 25, tzinfo=UTC)
CTX = Ctx(db=None, catalog=load_catalog(None))  # type: ignore[arg-type]  # no database here
WS = Workspace(team_id="T1", created_at=NOW, updated_at=NOW, max_perk=25_000, currency="USD")


def form(**given: object) -> ProposalForm:
    return ProposalForm(event_id=1, **given)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "field", "words"),
    [
        ({"amount": "0", "description": "Flowers"}, "amount", "more than zero"),
        ({"amount": "250.01", "description": "Flowers"}, "amount", "largest single perk"),
        ({"amount": "12.345", "description": "Flowers"}, "amount", "at most 2 decimals"),
        ({"amount": "", "description": "Flowers"}, "amount", "required"),
        ({"item_id": "no_such_perk"}, "perk", "no longer in the catalog"),
        ({"amount": "5", "description": "x" * (DESCRIPTION_MAX + 1)}, "description", "at most"),
    ],
)
def test_bad_fields_are_refused_on_the_field_that_holds_them(
    given: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(InvalidInput, match=words) as err:
        check_form(CTX, form(**given), WS)
    assert err.value.field == field


def test_good_forms_pass() -> None:
    check_form(CTX, form(amount="250", description="Flowers"), WS)
    check_form(CTX, form(item_id="flowers"), WS)  # the catalog price
    check_form(CTX, form(item_id="handwritten_note", amount="0"), WS)  # the free note


@given(st.integers(min_value=1, max_value=25_000))
def test_any_amount_up_to_the_largest_perk_passes(cents: int) -> None:
    check_form(CTX, form(amount=f"{cents // 100}.{cents % 100:02d}", description="Gift"), WS)
