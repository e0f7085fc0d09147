"""Suggested handwritten-note wording and note task constants."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from perks.kinds import EventKind, is_sensitive
from perks.notes import (
    MAX_OVERDUE_REMINDERS,
    MAX_WORDING_CHARS,
    NoteStatus,
    suggested_wording,
)

SALESY = ("discount", "offer", "deal", "promo", "code", "sale")
SENSITIVE = [kind for kind in EventKind if is_sensitive(kind)]


def test_constants() -> None:
    assert MAX_OVERDUE_REMINDERS == 3
    assert MAX_WORDING_CHARS == 1000
    assert [s.value for s in NoteStatus] == ["open", "sent", "skipped"]


def test_sensitive_kinds_are_the_spec_ones() -> None:
    assert set(SENSITIVE) == {EventKind.RECOVERY, EventKind.BEREAVEMENT}


@pytest.mark.parametrize("kind", list(EventKind))
def test_template_is_never_a_sales_pitch(kind: EventKind) -> None:
    wording = suggested_wording(kind, "Ada Lovelace")
    folded = wording.casefold()
    assert "congrat" not in folded
    assert "!" not in wording
    for word in SALESY:
        assert word not in folded, (kind, word)


@pytest.mark.parametrize("kind", list(EventKind))
def test_addresses_the_first_name(kind: EventKind) -> None:
    wording = suggested_wording(kind, "Ada Lovelace")
    assert wording.startswith("Dear Ada,\n\n")
    assert "Lovelace" not in wording


def test_each_kind_has_its_own_wording() -> None:
    wordings = {suggested_wording(kind, "Ada") for kind in EventKind}
    assert len(wordings) == len(EventKind)


@pytest.mark.parametrize(
    ("kind", "expected_words"),
    [
        (EventKind.NEW_BABY, ("wonderful", "joy")),
        (EventKind.BEREAVEMENT, ("sorry", "loss", "sympathy")),
        (EventKind.RECOVERY, ("unwell", "care")),
        (EventKind.SERVICE_RECOVERY, ("sorry", "thank", "apologies")),
        (EventKind.BIRTHDAY, ("happy birthday",)),
        (EventKind.ANNIVERSARY, ("thank", "year")),
    ],
)
def test_tone_fits_the_kind(kind: EventKind, expected_words: tuple[str, ...]) -> None:
    folded = suggested_wording(kind, "Ada").casefold()
    for word in expected_words:
        assert word in folded, word


def test_bereavement_wording_is_exact() -> None:
    assert suggested_wording(EventKind.BEREAVEMENT, "Maria Garcia") == (
        "Dear Maria,\n\n"
        "We were so sorry to hear of your loss. Please accept our heartfelt sympathy. "
        "We are thinking of you and your family at this time.\n\n"
        "With deepest sympathy,"
    )


def test_rep_words_are_their_own_paragraph_before_the_sign_off() -> None:
    wording = suggested_wording(EventKind.NEW_HOME, "Sam Lee", "  Enjoy the garden.  \n")
    assert wording.endswith("\n\nEnjoy the garden.\n\nWarm wishes,")
    assert wording.startswith("Dear Sam,\n\nWe hope your new home")


@pytest.mark.parametrize("blank", [None, "", "   ", "\n\t "])
def test_blank_rep_words_are_ignored(blank: str | None) -> None:
    plain = suggested_wording(EventKind.WEDDING, "Sam Lee")
    assert suggested_wording(EventKind.WEDDING, "Sam Lee", blank) == plain
    assert plain.endswith("together.\n\nWith love and best wishes,")


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Zoë Ångström", "Dear Zoë,"),
        ("  李 小龙 ", "Dear 李,"),
        ("Cher", "Dear Cher,"),
        ("O'Brien\u3000Seán", "Dear O'Brien,"),  # ideographic space separates too
        ("", "Hello,"),
        ("   ", "Hello,"),
        ("<!channel> & co", "Dear <!channel>,"),  # escaping is the Slack layer's job
    ],
)
def test_greeting(name: str, greeting: str) -> None:
    assert suggested_wording(EventKind.BIRTHDAY, name).split("\n")[0] == greeting


def test_long_rep_words_are_truncated_to_fit() -> None:
    wording = suggested_wording(EventKind.GRADUATION, "X" * 200, "word " * 1000)
    assert len(wording) == MAX_WORDING_CHARS
    assert wording.startswith("Dear " + "X" * 200 + ",")
    assert "…\n\nWith best wishes," in wording


def test_rep_words_that_fit_are_kept_whole() -> None:
    words = "a" * 500
    wording = suggested_wording(EventKind.OTHER, "Ada", words)
    assert f"\n\n{words}\n\n" in wording
    assert "…" not in wording


names = st.text(max_size=200)
rep_words = st.none() | st.text(max_size=2500)


@given(st.sampled_from(list(EventKind)), names, rep_words)
def test_wording_never_exceeds_the_limit(kind: EventKind, name: str, words: str | None) -> None:
    wording = suggested_wording(kind, name, words)
    assert 0 < len(wording) <= MAX_WORDING_CHARS


@given(st.sampled_from(SENSITIVE), names, rep_words)
def test_sensitive_wording_never_congratulates_or_sells(
    kind: EventKind, name: str, words: str | None
) -> None:
    typed = (name + (words or "")).casefold()
    assume("congrat" not in typed and "!" not in typed)
    assume(not any(word in typed for word in SALESY))
    wording = suggested_wording(kind, name, words)
    folded = wording.casefold()
    assert "congrat" not in folded
    assert "!" not in wording
    for word in SALESY:
        assert word not in folded


@given(st.sampled_from(list(EventKind)), names)
def test_first_token_of_any_name_is_used(kind: EventKind, name: str) -> None:
    tokens = name.split()
    wording = suggested_wording(kind, name)
    expected = f"Dear {tokens[0]}," if tokens else "Hello,"
    assert wording.startswith(expected + "\n\n")
