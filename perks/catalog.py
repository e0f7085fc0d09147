"""The perk catalog (SPEC §2): a TOML file of gifts, notes, credits, upgrades, experiences.

A bad file is refused at load time with a message naming the file, the item and
the key, so an operator can fix it without reading code.
"""

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from perks import money
from perks.errors import CatalogError, InvalidInput
from perks.kinds import EventKind, is_sensitive

NOTE_ITEM_ID = "handwritten_note"
DEFAULT_CATALOG_PATH = Path(__file__).parent / "default_catalog.toml"
# Slack caps option and button text at 75 characters.
MAX_NAME = 75
MAX_DESCRIPTION = 500
MAX_ID = 64

_SLUG = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*")
_COST = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_COST_HINT = 'expected a decimal string like "25.00"'


class Category(StrEnum):
    GIFT = "gift"
    NOTE = "note"
    CREDIT = "credit"
    UPGRADE = "upgrade"
    EXPERIENCE = "experience"


@dataclass(frozen=True)
class CatalogItem:
    id: str
    name: str
    cost: Decimal
    category: Category
    kinds: frozenset[EventKind] | None  # None: suits every kind
    sensitive_ok: bool
    promotional: bool
    active: bool = True
    description: str = ""

    def cost_minor(self, currency: str) -> int:
        """Cost in the workspace currency; InvalidInput if it has too many decimals for it."""
        return money.to_minor(self.cost, currency)

    def suits(self, kind: EventKind) -> bool:
        """Fits the kind; a condolence never comes with anything promotional."""
        if self.kinds is not None and kind not in self.kinds:
            return False
        if is_sensitive(kind):
            return self.sensitive_ok and not self.promotional
        return True


@dataclass(frozen=True)
class Catalog:
    items: tuple[CatalogItem, ...]
    source: str = field(default="catalog", compare=False)

    def __post_init__(self) -> None:
        # Checked here, not only in parse_catalog, so no caller can build a bad catalog.
        _check_unique_ids(self.items, self.source)
        _check_note_item(self.items, self.source)

    def get(self, item_id: str) -> CatalogItem | None:
        return next((item for item in self.items if item.id == item_id), None)

    @property
    def active_items(self) -> tuple[CatalogItem, ...]:
        return tuple(item for item in self.items if item.active)

    @property
    def note_item(self) -> CatalogItem:
        item = self.get(NOTE_ITEM_ID)
        assert item is not None  # guaranteed by __post_init__
        return item

    def check_currency(self, currency: str) -> None:
        """Refuse a currency in which some cost cannot be expressed (e.g. "12.50" in JPY)."""
        for position, item in enumerate(self.items, start=1):
            try:
                item.cost_minor(currency)
            except InvalidInput as error:
                where = _where(self.source, item.id, position, "cost")
                raise CatalogError(f"{where}: {error.message}", field="currency") from error


def suggestions(
    catalog: Catalog, kind: EventKind, currency: str, allowance_left_minor: int
) -> list[CatalogItem]:
    """Active items that suit the kind and fit the allowance, cheapest first, then by name.

    A free item fits even an overspent allowance: a note is always possible.
    Items whose cost cannot be written in the currency are left out, not offered wrong.
    """
    budget = max(allowance_left_minor, 0)
    priced = [
        (cost, item)
        for item in catalog.active_items
        if item.suits(kind) and (cost := _cost_or_none(item, currency)) is not None
    ]
    fitting = [(cost, item) for cost, item in priced if cost <= budget]
    fitting.sort(key=lambda pair: (pair[0], pair[1].name.casefold(), pair[1].id))
    return [item for _, item in fitting]


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and check a catalog file; None means the default shipped with Perkbot."""
    file = DEFAULT_CATALOG_PATH if path is None else Path(path)
    source = file.name if path is None else str(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{source}: cannot read the catalog file ({error})") from error
    return parse_catalog(text, source)


def parse_catalog(text: str, source: str = "catalog") -> Catalog:
    """Parse catalog TOML text; CatalogError names the source, the item and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # The decoder's message ends with "(at line N, column M)".
        raise CatalogError(f"{source}: malformed TOML: {error}") from error
    unknown = sorted(set(data) - {"items"})
    if unknown:
        raise CatalogError(f'{source}: key "{unknown[0]}": unknown key (only [[items]] tables)')
    tables = data.get("items")
    if not isinstance(tables, list) or not tables:
        raise CatalogError(f'{source}: key "items": expected one or more [[items]] tables')
    items = tuple(_parse_item(table, position, source) for position, table in enumerate(tables, 1))
    return Catalog(items=items, source=source)


def _cost_or_none(item: CatalogItem, currency: str) -> int | None:
    try:
        return item.cost_minor(currency)
    except InvalidInput:
        return None


def _where(source: str, item_id: str | None, position: int, key: str | None = None) -> str:
    item = f'item "{item_id}"' if item_id else f"item #{position}"
    return f'{source}: {item}: key "{key}"' if key else f"{source}: {item}"


class _BadValue(ValueError):
    """A key's value breaks a rule; _parse_item adds the source, item and key."""


def _parse_item(table: object, position: int, source: str) -> CatalogItem:
    if not isinstance(table, dict):
        raise CatalogError(f"{_where(source, None, position)}: expected a [[items]] table")
    item_id = _parse_id(table, position, source)
    unknown = sorted(set(table) - set(_PARSERS) - {"id"})
    if unknown:
        allowed = ", ".join(["id", *_PARSERS])
        where = _where(source, item_id, position, unknown[0])
        raise CatalogError(f"{where}: unknown key (allowed: {allowed})")
    values: dict[str, Any] = {}
    for key, parse in _PARSERS.items():
        where = _where(source, item_id, position, key)
        if key not in table and key not in _DEFAULTS:
            raise CatalogError(f"{where}: missing")
        try:
            values[key] = parse(table.get(key, _DEFAULTS.get(key)))
        except _BadValue as error:
            raise CatalogError(f"{where}: {error}") from None
    return CatalogItem(id=item_id, **values)


def _parse_id(table: dict[str, Any], position: int, source: str) -> str:
    where = _where(source, None, position, "id")
    value = table.get("id")
    if value is None:
        raise CatalogError(f"{where}: missing")
    if not isinstance(value, str) or len(value) > MAX_ID or not _SLUG.fullmatch(value):
        raise CatalogError(
            f'{where}: expected a slug like "spa_day" '
            f"(lower-case letters, digits, _ or -, at most {MAX_ID} characters)"
        )
    return value


def _parse_text(value: object, limit: int, *, required: bool) -> str:
    if not isinstance(value, str):
        raise _BadValue("expected a string")
    text = value.strip()
    if required and not text:
        raise _BadValue("must not be empty")
    if len(text) > limit:
        raise _BadValue(f"at most {limit} characters (it has {len(text)})")
    return text


def _parse_name(value: object) -> str:
    return _parse_text(value, MAX_NAME, required=True)


def _parse_description(value: object) -> str:
    return _parse_text(value, MAX_DESCRIPTION, required=False)


def _parse_cost(value: object) -> Decimal:
    # A TOML float would already be binary-rounded; only text keeps the exact value.
    if isinstance(value, bool) or not isinstance(value, str):
        quoted = isinstance(value, int | float) and not isinstance(value, bool)
        raise _BadValue(_COST_HINT + (f' (quote it: cost = "{value}")' if quoted else ""))
    if not _COST.fullmatch(value):
        raise _BadValue(_COST_HINT)
    if value.startswith("-"):
        raise _BadValue("must not be negative")
    return Decimal(value)


def _parse_category(value: object) -> Category:
    if not isinstance(value, str) or value not in _CATEGORIES:
        raise _BadValue(f"expected one of {', '.join(Category)}")
    return Category(value)


def _parse_kinds(value: object) -> frozenset[EventKind] | None:
    if value == "all":
        return None
    hint = f'expected "all" or a list of event kinds from: {", ".join(EventKind)}'
    if not isinstance(value, list) or not value:
        raise _BadValue(hint)
    for kind in value:
        if not isinstance(kind, str) or kind not in _KINDS:
            raise _BadValue(f"unknown event kind {kind!r}; {hint}")
    if len(set(value)) != len(value):
        raise _BadValue("lists an event kind twice")
    return frozenset(EventKind(kind) for kind in value)


def _parse_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _BadValue("expected true or false")
    return value


_CATEGORIES = frozenset(Category)
_KINDS = frozenset(EventKind)
# Key order is the checking order, and the order shown in "allowed: ...".
_PARSERS: dict[str, Callable[[object], Any]] = {
    "name": _parse_name,
    "cost": _parse_cost,
    "category": _parse_category,
    "kinds": _parse_kinds,
    "sensitive_ok": _parse_bool,
    "promotional": _parse_bool,
    "active": _parse_bool,
    "description": _parse_description,
}
# sensitive_ok and promotional have no default on purpose: a gift policy is stated, not assumed.
_DEFAULTS: dict[str, object] = {"active": True, "description": ""}


def _check_unique_ids(items: tuple[CatalogItem, ...], source: str) -> None:
    first_seen: dict[str, int] = {}
    for position, item in enumerate(items, start=1):
        if item.id in first_seen:
            raise CatalogError(
                f"{_where(source, item.id, position, 'id')}: duplicate id "
                f"(item #{position} repeats item #{first_seen[item.id]})"
            )
        first_seen[item.id] = position


def _check_note_item(items: tuple[CatalogItem, ...], source: str) -> None:
    """The free handwritten note must always be there: it is allowed even when gifts are not."""
    note = next((item for item in items if item.id == NOTE_ITEM_ID), None)
    if note is None:
        raise CatalogError(
            f'{source}: item "{NOTE_ITEM_ID}": missing; every catalog needs the free '
            "handwritten note"
        )
    rules = {
        "cost": (note.cost == 0, 'must be "0": the handwritten note is free'),
        "category": (note.category is Category.NOTE, 'must be "note"'),
        "kinds": (note.kinds is None, 'must be "all"'),
        "sensitive_ok": (note.sensitive_ok, "must be true"),
        "promotional": (not note.promotional, "must be false"),
        "active": (note.active, "must be true"),
    }
    for key, (ok, problem) in rules.items():
        if not ok:
            raise CatalogError(f"{_where(source, NOTE_ITEM_ID, 0, key)}: {problem}")
