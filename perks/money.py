"""Money as integer minor units (cents, yen, fils), never floats.

Everything inside Perkbot is an `int` of minor units; text only exists at the
edge, so parsing and formatting live here and nowhere else.
"""

import functools
import re
from decimal import Decimal

from babel.numbers import (
    format_currency,
    get_currency_name,
    get_currency_precision,
    get_currency_symbol,
    list_currencies,
)

from perks.errors import InvalidInput

# Far beyond any perk budget; keeps typos like "1000000000000" out of the ledger.
MAX_MINOR = 10**12
_LOCALE = "en_US"
_CURRENCIES = frozenset(list_currencies())

# Digits only in ASCII: `\d` would also accept Arabic-Indic and other digits.
_NUMBER = re.compile(r"(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_EXPONENT = re.compile(r"[0-9.,]*[0-9][eE][+-]?[0-9]+")
_GROUPED = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_FOREIGN_SYMBOL = re.compile(r"[^\s0-9.,+\-−]{1,5}\s*[0-9]")
_MINUS_SIGNS = ("-", "−")


def is_known_currency(code: str) -> bool:
    """True for an upper-case ISO 4217 code that babel has data for."""
    return len(code) == 3 and code.isascii() and code.isupper() and code in _CURRENCIES


def minor_digits(currency: str) -> int:
    """Decimals of the currency's minor unit: JPY 0, USD 2, KWD 3."""
    _require_known(currency)
    return int(get_currency_precision(currency))


def to_minor(value: Decimal, currency: str) -> int:
    """Exact conversion to minor units; refuses anything a rounding would change."""
    digits = minor_digits(currency)
    if not value.is_finite():
        raise InvalidInput(_not_a_number(currency), field="amount")
    _check_size(value, currency)
    sign, coefficient, exponent = _strip_trailing_zeros(value)
    if exponent < -digits:
        raise InvalidInput(_too_many_decimals(currency), field="amount")
    minor = int("".join(map(str, coefficient))) * 10 ** (exponent + digits)
    return -minor if sign else minor


def from_minor(minor: int, currency: str) -> Decimal:
    """Minor units back to an exact Decimal with the currency's decimals (1250 → 12.50)."""
    # Built from text so no Decimal context can round a large value.
    return Decimal(f"{minor}e-{minor_digits(currency)}")


def format_plain(minor: int, currency: str) -> str:
    """Bare decimal text, e.g. "12.50", for CSV and modal prefill; parse_amount reads it back."""
    return format(from_minor(minor, currency), "f")


@functools.lru_cache(maxsize=4096)  # Babel takes ~0.3 ms a call; a Home shows dozens
def format_amount(minor: int, currency: str) -> str:
    """Human text for messages: "$12.50", "¥1,200", "KWD1.250"."""
    return format_currency(from_minor(minor, currency), currency, locale=_LOCALE)


def parse_amount(text: str, currency: str) -> int:
    """Read what a person typed into minor units, or raise InvalidInput(field="amount")."""
    _require_known(currency)
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("Enter an amount.", field="amount")
    number = _strip_symbol(cleaned, currency)
    _refuse_malformed(number, currency)
    # Trailing zeros ("1,200.00" in JPY) are accepted: to_minor judges the value.
    return to_minor(Decimal(number.replace(",", "")), currency)


def _require_known(currency: str) -> None:
    if not is_known_currency(currency):
        raise InvalidInput(
            f'"{currency[:10]}" is not an ISO 4217 currency code (like USD or EUR).',
            field="currency",
        )


@functools.lru_cache(maxsize=64)  # Babel's look-ups cost more than the parse they serve
def _symbols(currency: str) -> tuple[str, ...]:
    """Prefixes a person may type before the number, longest first."""
    found = {currency, get_currency_symbol(currency, locale=_LOCALE)}
    if "dollar" in get_currency_name(currency, locale=_LOCALE).lower():
        found.add("$")
    return tuple(sorted(found, key=len, reverse=True))


def _strip_symbol(text: str, currency: str) -> str:
    """Drop one leading currency prefix, keeping a minus typed before it ("-$5")."""
    sign = ""
    if text.startswith(_MINUS_SIGNS):
        sign, text = "-", text[1:]
    for symbol in _symbols(currency):
        # Slice before upper(): "ß".upper() is two letters and would shift the match.
        if text[: len(symbol)].upper() == symbol.upper():
            return sign + text[len(symbol) :].lstrip()
    return sign + text


def _refuse_malformed(number: str, currency: str) -> None:
    """Explain the first rule the text breaks, so the rep knows what to fix."""
    if _NUMBER.fullmatch(number):
        return
    if number.startswith(_MINUS_SIGNS):
        message = "Amounts cannot be negative."
    elif _EXPONENT.fullmatch(number):
        message = f"Write the amount in plain digits, like {_example(currency)} (no exponents)."
    elif _GROUPED.fullmatch(number):
        message = "Group thousands in threes and use a point for decimals, like 1,200.00."
    elif _FOREIGN_SYMBOL.match(number):
        message = f"Amounts are in {currency}; write it like {_example(currency)}."
    else:
        message = _not_a_number(currency)
    raise InvalidInput(message, field="amount")


def _check_size(value: Decimal, currency: str) -> None:
    if abs(value) > from_minor(MAX_MINOR, currency):
        limit = format_amount(MAX_MINOR, currency)
        raise InvalidInput(f"That amount is too large; the most is {limit}.", field="amount")


def _strip_trailing_zeros(value: Decimal) -> tuple[int, tuple[int, ...], int]:
    """(sign, digits, exponent) with trailing zeros moved into the exponent, exactly.

    Decimal.normalize() would round to the context precision, hiding extra digits.
    """
    sign, coefficient, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite values only
    if not any(coefficient):
        return sign, (0,), 0
    digits = list(coefficient)
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    return sign, tuple(digits), exponent


def _example(currency: str) -> str:
    digits = get_currency_precision(currency)
    return "12" if digits == 0 else "12." + "5".ljust(digits, "0")


def _not_a_number(currency: str) -> str:
    return f"Enter the amount as a number, like {_example(currency)}."


def _too_many_decimals(currency: str) -> str:
    digits = minor_digits(currency)
    if digits == 0:
        return f"{currency} amounts are whole numbers, with no decimals."
    return f"{currency} amounts have at most {digits} decimals."
