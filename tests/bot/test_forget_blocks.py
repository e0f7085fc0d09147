"""The forget confirmation stays within Block Kit limits and escapes what was typed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks.forget import forget_message, forgotten_message
from bot.fakeslack.limits import check_message
from perks.erasure import Candidate, Forgotten

NASTY = "<!channel> & <https://x|y> "


def assert_ok(name: str, found: list[Candidate]) -> str:
    payload = forget_message(name, found).payload()
    assert check_message(payload["text"], payload["blocks"]) == [], payload
    return str(payload)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=10_000))
def test_any_name_fits_and_is_escaped(text: str) -> None:
    many = [Candidate(i, (NASTY + text)[:200], (text + NASTY)[:200]) for i in range(40)]
    shown = assert_ok(NASTY + text, many)
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    assert_ok(NASTY + text, [])


def test_one_danger_button_with_a_confirm_per_customer() -> None:
    blocks = forget_message("Ada", [Candidate(1, "Ada", "Acme"), Candidate(2, "Ada", "")]).blocks
    buttons = [e for b in blocks if b.type == "actions" for e in b.elements]
    assert [b.style for b in buttons] == ["danger", "danger"]
    assert all(b.confirm is not None for b in buttons)
    assert [b.value for b in buttons] == ['{"customer_id":1}', '{"customer_id":2}']


def test_the_outcome_names_nobody() -> None:
    payload = forgotten_message(Forgotten(7, 2, 3, 1)).payload()
    assert "2 events, 3 perks and 1 notes" in str(payload) and "Ada" not in str(payload)
