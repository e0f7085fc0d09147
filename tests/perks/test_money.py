"""Money: parsing what people type, formatting for people, exact minor units."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perks.errors import InvalidInput
from perks.money import (
    MAX_MINOR,
    format_amount,
    format_plain,
    from_minor,
    is_known_currency,
    minor_digits,
    parse_amount,
    to_minor,
)

CURRENCIES = ["USD", "JPY", "KWD", "EUR"]


@pytest.mark.parametrize(("currency", "digits"), [("JPY", 0), ("USD", 2), ("EUR", 2), ("KWD", 3)])
def test_minor_digits(currency: str, digits: int) -> None:
    assert minor_digits(currency) == digits


def test_minor_digits_refuses_unknown_currency() -> None:
    with pytest.raises(InvalidInput) as caught:
        minor_digits("XYZ")
    assert caught.value.field == "currency"
    assert "ISO 4217" in caught.value.message


@pytest.mark.parametrize("code", ["USD", "EUR", "JPY", "KWD", "CHF"])
def test_known_currencies(code: str) -> None:
    assert is_known_currency(code) is True


@pytest.mark.parametrize("code", ["usd", "US", "USDD", "XYZ", "", "ÜSD", "12$"])
def test_unknown_currencies(code: str) -> None:
    assert is_known_currency(code) is False


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("12.50", 1250),
        ("$12.50", 1250),
        ("$ 12.50", 1250),
        ("1,200.00", 120000),
        ("1,200", 120000),
        ("12,345,678.90", 1234567890),
        ("  12.50\n", 1250),
        ("USD 12", 1200),
        ("USD12.05", 1205),
        ("usd 12", 1200),
        ("0", 0),
        ("0.00", 0),
        ("$0", 0),
        ("0.01", 1),
        ("12.500", 1250),  # trailing zeros do not add precision
        ("100000000", 10_000_000_000),
    ],
)
def test_parse_amount_accepts_usd(text: str, minor: int) -> None:
    assert parse_amount(text, "USD") == minor


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("1200", "JPY", 1200),
        ("¥1,200", "JPY", 1200),
        ("JPY 1200", "JPY", 1200),
        ("1,200.00", "JPY", 1200),
        ("1.250", "KWD", 1250),
        ("KWD1.250", "KWD", 1250),
        ("KWD 0.005", "KWD", 5),
        ("€12.50", "EUR", 1250),
        ("CA$12.50", "CAD", 1250),
        ("$12.50", "CAD", 1250),  # "$" is fine for any dollar currency
        ("$12.50", "AUD", 1250),
        ("A$12.50", "AUD", 1250),
    ],
)
def test_parse_amount_accepts_other_currencies(text: str, currency: str, minor: int) -> None:
    assert parse_amount(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter an amount."),
        ("   ", "Enter an amount."),
        ("-5", "Amounts cannot be negative."),
        ("-0.01", "Amounts cannot be negative."),
        ("−5", "Amounts cannot be negative."),
        ("-$5", "Amounts cannot be negative."),
        ("$-5", "Amounts cannot be negative."),
        ("abc", "Enter the amount as a number, like 12.50."),
        ("NaN", "Enter the amount as a number, like 12.50."),
        ("nan", "Enter the amount as a number, like 12.50."),
        ("inf", "Enter the amount as a number, like 12.50."),
        ("Infinity", "Enter the amount as a number, like 12.50."),
        ("∞", "Enter the amount as a number, like 12.50."),
        ("12.", "Enter the amount as a number, like 12.50."),
        (".5", "Enter the amount as a number, like 12.50."),
        ("+5", "Enter the amount as a number, like 12.50."),
        ("1 200", "Enter the amount as a number, like 12.50."),
        ("12 USD", "Enter the amount as a number, like 12.50."),
        ("١٢", "Enter the amount as a number, like 12.50."),  # Arabic-Indic digits
        ("１２", "Enter the amount as a number, like 12.50."),  # full-width digits
        ("1e9", "Write the amount in plain digits, like 12.50 (no exponents)."),
        ("1E+3", "Write the amount in plain digits, like 12.50 (no exponents)."),
        ("2.5e2", "Write the amount in plain digits, like 12.50 (no exponents)."),
        ("12.345", "USD amounts have at most 2 decimals."),
        ("$0.001", "USD amounts have at most 2 decimals."),
        ("1,20", "Group thousands in threes and use a point for decimals, like 1,200.00."),
        ("1,2000", "Group thousands in threes and use a point for decimals, like 1,200.00."),
        ("12,50", "Group thousands in threes and use a point for decimals, like 1,200.00."),
        ("1,,200", "Group thousands in threes and use a point for decimals, like 1,200.00."),
        ("€12", "Amounts are in USD; write it like 12.50."),
        ("EUR 12", "Amounts are in USD; write it like 12.50."),
        ("10000000001", "That amount is too large; the most is $10,000,000,000.00."),
        ("9" * 5000, "That amount is too large; the most is $10,000,000,000.00."),
    ],
)
def test_parse_amount_refuses_usd(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_amount(text, "USD")
    assert caught.value.message == message
    assert caught.value.field == "amount"


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("12.5", "JPY", "JPY amounts are whole numbers, with no decimals."),
        ("1.2345", "KWD", "KWD amounts have at most 3 decimals."),
        ("abc", "JPY", "Enter the amount as a number, like 12."),
        ("abc", "KWD", "Enter the amount as a number, like 12.500."),
        ("$12", "EUR", "Amounts are in EUR; write it like 12.50."),
        ("$12", "JPY", "Amounts are in JPY; write it like 12."),
    ],
)
def test_parse_amount_refuses_other_currencies(text: str, currency: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_amount(text, currency)
    assert caught.value.message == message
    assert caught.value.field == "amount"


def test_parse_amount_accepts_the_cap_and_refuses_one_more() -> None:
    assert parse_amount("10,000,000,000.00", "USD") == MAX_MINOR
    with pytest.raises(InvalidInput, match="too large"):
        parse_amount("10000000000.01", "USD")


def test_many_trailing_zeros_do_not_hide_extra_digits() -> None:
    # Decimal.normalize() would round this to 1.00 at 28 digits of precision.
    with pytest.raises(InvalidInput, match="at most 2 decimals"):
        parse_amount("1." + "0" * 40 + "1", "USD")
    assert parse_amount("1." + "0" * 40, "USD") == 100


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (1250, "USD", "$12.50"),
        (1200, "USD", "$12.00"),
        (0, "USD", "$0.00"),
        (1, "USD", "$0.01"),
        (120000, "USD", "$1,200.00"),
        (1200, "JPY", "¥1,200"),
        (0, "JPY", "¥0"),
        (1250, "KWD", "KWD1.250"),
        (5, "KWD", "KWD0.005"),
        (1234567, "KWD", "KWD1,234.567"),
        (1250, "EUR", "€12.50"),
        (MAX_MINOR, "USD", "$10,000,000,000.00"),
    ],
)
def test_format_amount(minor: int, currency: str, text: str) -> None:
    assert format_amount(minor, currency) == text


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (1250, "USD", "12.50"),
        (0, "USD", "0.00"),
        (7, "USD", "0.07"),
        (1200, "JPY", "1200"),
        (1250, "KWD", "1.250"),
        (5, "KWD", "0.005"),
        (MAX_MINOR, "USD", "10000000000.00"),
        (-1250, "USD", "-12.50"),
    ],
)
def test_format_plain(minor: int, currency: str, text: str) -> None:
    assert format_plain(minor, currency) == text


def test_to_minor_and_from_minor() -> None:
    assert to_minor(Decimal("12.5"), "USD") == 1250
    assert to_minor(Decimal("12.50"), "USD") == 1250
    assert to_minor(Decimal("1200.00"), "JPY") == 1200
    assert to_minor(Decimal("0"), "KWD") == 0
    assert to_minor(Decimal("0.000"), "JPY") == 0
    assert to_minor(Decimal("-3.25"), "USD") == -325
    assert from_minor(1250, "USD") == Decimal("12.50")
    assert str(from_minor(1250, "USD")) == "12.50"
    assert str(from_minor(1250, "KWD")) == "1.250"
    assert str(from_minor(1200, "JPY")) == "1200"


@pytest.mark.parametrize(
    ("value", "currency", "message"),
    [
        (Decimal("12.345"), "USD", "USD amounts have at most 2 decimals."),
        (Decimal("0.5"), "JPY", "JPY amounts are whole numbers, with no decimals."),
        (Decimal("NaN"), "USD", "Enter the amount as a number, like 12.50."),
        (Decimal("Infinity"), "USD", "Enter the amount as a number, like 12.50."),
        (Decimal("1E+30"), "USD", "That amount is too large; the most is $10,000,000,000.00."),
    ],
)
def test_to_minor_refuses(value: Decimal, currency: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        to_minor(value, currency)
    assert caught.value.message == message


minors = st.integers(min_value=0, max_value=MAX_MINOR)
currencies = st.sampled_from(CURRENCIES)


@given(minor=minors, currency=currencies)
def test_plain_text_round_trips(minor: int, currency: str) -> None:
    assert parse_amount(format_plain(minor, currency), currency) == minor


@given(minor=minors, currency=currencies)
def test_formatted_text_round_trips(minor: int, currency: str) -> None:
    assert parse_amount(format_amount(minor, currency), currency) == minor


@given(minor=st.integers(min_value=-MAX_MINOR, max_value=MAX_MINOR), currency=currencies)
def test_minor_decimal_round_trips(minor: int, currency: str) -> None:
    assert to_minor(from_minor(minor, currency), currency) == minor


@given(text=st.text(), currency=currencies)
def test_arbitrary_text_only_ever_raises_invalid_input(text: str, currency: str) -> None:
    try:
        minor = parse_amount(text, currency)
    except InvalidInput as error:
        assert error.field == "amount"
    else:
        assert 0 <= minor <= MAX_MINOR


amount_like = st.text(alphabet="0123456789.,$¥€-−eE +KWDUSJPYnaif∞", max_size=20)


@given(text=amount_like, currency=currencies)
def test_amount_like_text_only_ever_raises_invalid_input(text: str, currency: str) -> None:
    try:
        minor = parse_amount(text, currency)
    except InvalidInput as error:
        assert error.field == "amount"
    else:
        assert 0 <= minor <= MAX_MINOR
        assert isinstance(minor, int)
