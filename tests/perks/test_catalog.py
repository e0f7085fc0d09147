"""The perk catalog: file checks, sensitivity, and suggestions."""

from decimal import Decimal
from pathlib import Path

import pytest

from perks.catalog import (
    NOTE_ITEM_ID,
    Catalog,
    CatalogItem,
    Category,
    load_catalog,
    parse_catalog,
    suggestions,
)
from perks.errors import CatalogError, InvalidInput
from perks.kinds import EventKind, is_sensitive

NOTE = """
[[items]]
id = "handwritten_note"
name = "Handwritten note"
cost = "0"
category = "note"
kinds = "all"
sensitive_ok = true
promotional = false
"""

SPA = """
[[items]]
id = "spa_day"
name = "Spa day"
cost = "25.00"
category = "experience"
kinds = ["birthday"]
sensitive_ok = false
promotional = false
"""


def item(**overrides: object) -> CatalogItem:
    fields: dict[str, object] = {
        "id": "flowers",
        "name": "Flowers",
        "cost": Decimal("30"),
        "category": Category.GIFT,
        "kinds": None,
        "sensitive_ok": True,
        "promotional": False,
    }
    fields.update(overrides)
    return CatalogItem(**fields)  # type: ignore[arg-type]


def note() -> CatalogItem:
    return item(
        id=NOTE_ITEM_ID,
        name="Handwritten note",
        cost=Decimal("0"),
        category=Category.NOTE,
    )


def catalog_of(*items: CatalogItem) -> Catalog:
    return Catalog(items=(note(), *items))


def refusal(text: str) -> str:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, "catalog.toml")
    return caught.value.message


# --- the default catalog ---------------------------------------------------------------


def test_default_catalog_loads_with_enough_items_in_every_category() -> None:
    catalog = load_catalog(None)
    assert len(catalog.items) >= 9
    assert {i.category for i in catalog.items} == set(Category)
    assert catalog.source == "default_catalog.toml"


def test_default_catalog_has_the_free_note() -> None:
    catalog = load_catalog(None)
    assert catalog.note_item.id == "handwritten_note"
    assert catalog.note_item.name == "Handwritten note"
    assert catalog.note_item.cost_minor("USD") == 0
    assert catalog.note_item.kinds is None


def test_default_catalog_costs_fit_common_currencies() -> None:
    catalog = load_catalog(None)
    for currency in ("USD", "EUR", "JPY", "KWD"):
        catalog.check_currency(currency)
    costs = [i.cost_minor("USD") for i in catalog.items]
    assert min(costs) == 0
    assert max(costs) <= 15000


def test_default_catalog_keeps_promotions_away_from_sensitive_events() -> None:
    catalog = load_catalog(None)
    promotional = [i for i in catalog.items if i.promotional]
    assert {i.id for i in promotional} >= {"discount_20", "expedited_shipping"}
    for kind in (EventKind.BEREAVEMENT, EventKind.RECOVERY):
        offered = suggestions(catalog, kind, "USD", 10_000_00)
        assert offered, kind
        assert not any(i.promotional for i in offered)
        assert all(i.sensitive_ok for i in offered)
        assert offered[0].id == NOTE_ITEM_ID


def test_default_catalog_offers_a_sympathy_plant_for_bereavement() -> None:
    offered = suggestions(load_catalog(None), EventKind.BEREAVEMENT, "USD", 10_000)
    assert [i.id for i in offered] == ["handwritten_note", "sympathy_plant"]


def test_load_catalog_reads_a_given_path(tmp_path: Path) -> None:
    path = tmp_path / "perks.toml"
    path.write_text(NOTE + SPA, encoding="utf-8")
    catalog = load_catalog(path)
    assert [i.id for i in catalog.items] == ["handwritten_note", "spa_day"]
    assert load_catalog(str(path)) == catalog


def test_load_catalog_names_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.message.startswith(f"{path}: cannot read the catalog file")


def test_load_catalog_refuses_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes((NOTE + 'description = "caf\xe9"\n').encode("latin-1"))
    with pytest.raises(CatalogError, match="cannot read the catalog file"):
        load_catalog(path)


def test_load_catalog_errors_name_the_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(NOTE + SPA.replace('"25.00"', "25"), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.message.startswith(f'{path}: item "spa_day": key "cost": ')


# --- parsing ---------------------------------------------------------------------------


def test_parse_catalog_reads_every_field() -> None:
    text = NOTE + SPA.replace(
        "promotional = false", 'promotional = false\nactive = false\ndescription = " Relax "'
    )
    spa = parse_catalog(text).get("spa_day")
    assert spa == CatalogItem(
        id="spa_day",
        name="Spa day",
        cost=Decimal("25.00"),
        category=Category.EXPERIENCE,
        kinds=frozenset({EventKind.BIRTHDAY}),
        sensitive_ok=False,
        promotional=False,
        active=False,
        description="Relax",
    )


def test_parse_catalog_defaults() -> None:
    spa = parse_catalog(NOTE + SPA).get("spa_day")
    assert spa is not None
    assert spa.active is True
    assert spa.description == ""


def test_get_unknown_item_is_none() -> None:
    assert parse_catalog(NOTE).get("yacht") is None


def test_active_items_leaves_out_inactive() -> None:
    catalog = parse_catalog(
        NOTE + SPA.replace("promotional = false", "promotional = false\nactive = false")
    )
    assert [i.id for i in catalog.items] == ["handwritten_note", "spa_day"]
    assert [i.id for i in catalog.active_items] == ["handwritten_note"]


@pytest.mark.parametrize(
    ("line", "replacement", "expected"),
    [
        (
            'cost = "25.00"',
            "cost = 25",
            'expected a decimal string like "25.00" (quote it: cost = "25")',
        ),
        (
            'cost = "25.00"',
            "cost = 25.5",
            'expected a decimal string like "25.00" (quote it: cost = "25.5")',
        ),
        ('cost = "25.00"', "cost = true", 'expected a decimal string like "25.00"'),
        ('cost = "25.00"', 'cost = "-5"', "must not be negative"),
        ('cost = "25.00"', 'cost = "abc"', 'expected a decimal string like "25.00"'),
        ('cost = "25.00"', 'cost = "1e3"', 'expected a decimal string like "25.00"'),
        ('cost = "25.00"', 'cost = "$25"', 'expected a decimal string like "25.00"'),
        ('cost = "25.00"', 'cost = "NaN"', 'expected a decimal string like "25.00"'),
        ('cost = "25.00"', 'cost = ""', 'expected a decimal string like "25.00"'),
        ('name = "Spa day"', 'name = ""', "must not be empty"),
        ('name = "Spa day"', f'name = "{"x" * 76}"', "at most 75 characters (it has 76)"),
        ('name = "Spa day"', "name = 3", "expected a string"),
        (
            'category = "experience"',
            'category = "cash"',
            "expected one of gift, note, credit, upgrade, experience",
        ),
        (
            'category = "experience"',
            "category = []",
            "expected one of gift, note, credit, upgrade, experience",
        ),
        ('kinds = ["birthday"]', 'kinds = ["birthday", "birthday"]', "lists an event kind twice"),
        ('kinds = ["birthday"]', "kinds = []", 'expected "all" or a list of event kinds'),
        ('kinds = ["birthday"]', 'kinds = "any"', 'expected "all" or a list of event kinds'),
        ('kinds = ["birthday"]', 'kinds = ["funeral"]', "unknown event kind 'funeral'"),
        ('kinds = ["birthday"]', "kinds = [{a = 1}]", "unknown event kind {'a': 1}"),
        ("sensitive_ok = false", 'sensitive_ok = "no"', "expected true or false"),
        ("promotional = false", "promotional = 0", "expected true or false"),
        ("promotional = false", "promotional = false\nactive = 1", "expected true or false"),
        ("promotional = false", "promotional = false\ndescription = 1", "expected a string"),
    ],
)
def test_bad_values_name_the_item_and_key(line: str, replacement: str, expected: str) -> None:
    key = replacement.splitlines()[-1].split(" =")[0]
    message = refusal(NOTE + SPA.replace(line, replacement))
    assert message.startswith(f'catalog.toml: item "spa_day": key "{key}": ')
    assert expected in message


@pytest.mark.parametrize(
    "key", ["name", "cost", "category", "kinds", "sensitive_ok", "promotional"]
)
def test_missing_keys_are_named(key: str) -> None:
    text = "\n".join(line for line in SPA.splitlines() if not line.startswith(f"{key} ="))
    assert refusal(NOTE + text) == f'catalog.toml: item "spa_day": key "{key}": missing'


def test_unknown_key_is_refused() -> None:
    message = refusal(NOTE + SPA + 'colour = "red"\n')
    assert message.startswith(
        'catalog.toml: item "spa_day": key "colour": unknown key (allowed: id, name,'
    )


def test_missing_id_names_the_position() -> None:
    text = NOTE + SPA + SPA.replace('id = "spa_day"\n', "")
    assert refusal(text) == 'catalog.toml: item #3: key "id": missing'


@pytest.mark.parametrize("bad_id", ['"Spa Day"', '"spa__day"', '""', "7", f'"{"a" * 65}"'])
def test_bad_id_names_the_position(bad_id: str) -> None:
    message = refusal(NOTE + SPA.replace('"spa_day"', bad_id))
    assert message.startswith('catalog.toml: item #2: key "id": expected a slug like "spa_day"')


def test_duplicate_ids_are_refused() -> None:
    message = refusal(NOTE + SPA + SPA)
    assert (
        message == 'catalog.toml: item "spa_day": key "id": duplicate id (item #3 repeats item #2)'
    )


def test_malformed_toml_names_the_line() -> None:
    message = refusal(NOTE + '\n[[items]]\nid = "spa_day\n')
    assert message.startswith("catalog.toml: malformed TOML: ")
    assert "line 12" in message


def test_items_must_be_tables() -> None:
    assert refusal("items = [1]") == "catalog.toml: item #1: expected a [[items]] table"


@pytest.mark.parametrize("text", ["", "items = []", 'items = "x"'])
def test_no_items_is_refused(text: str) -> None:
    assert refusal(text) == 'catalog.toml: key "items": expected one or more [[items]] tables'


def test_unknown_top_level_key_is_refused() -> None:
    message = refusal(NOTE + '[[item]]\nid = "x"\n')
    assert message == 'catalog.toml: key "item": unknown key (only [[items]] tables)'


# --- the required note item ------------------------------------------------------------


def test_catalog_without_the_note_is_refused() -> None:
    message = refusal(SPA)
    assert message == (
        'catalog.toml: item "handwritten_note": missing; every catalog needs the free '
        "handwritten note"
    )


@pytest.mark.parametrize(
    ("line", "replacement", "key"),
    [
        ('cost = "0"', 'cost = "1.00"', "cost"),
        ('category = "note"', 'category = "gift"', "category"),
        ('kinds = "all"', 'kinds = ["birthday"]', "kinds"),
        ("sensitive_ok = true", "sensitive_ok = false", "sensitive_ok"),
        ("promotional = false", "promotional = true", "promotional"),
        ("promotional = false", "promotional = false\nactive = false", "active"),
    ],
)
def test_note_item_must_be_free_and_universal(line: str, replacement: str, key: str) -> None:
    message = refusal(NOTE.replace(line, replacement) + SPA)
    assert message.startswith(f'catalog.toml: item "handwritten_note": key "{key}": must be')


def test_note_cost_may_be_written_with_decimals() -> None:
    assert parse_catalog(NOTE.replace('"0"', '"0.00"')).note_item.cost_minor("USD") == 0


def test_catalog_built_in_code_is_checked_too() -> None:
    with pytest.raises(CatalogError, match='item "flowers": key "id": duplicate id'):
        catalog_of(item(), item())
    with pytest.raises(CatalogError, match="needs the free handwritten note"):
        Catalog(items=(item(),))


# --- items -----------------------------------------------------------------------------


def test_cost_minor_in_each_currency() -> None:
    assert item(cost=Decimal("12.50")).cost_minor("USD") == 1250
    assert item(cost=Decimal("12.50")).cost_minor("KWD") == 12500
    assert item(cost=Decimal("1200")).cost_minor("JPY") == 1200
    with pytest.raises(InvalidInput, match="JPY amounts are whole numbers"):
        item(cost=Decimal("12.50")).cost_minor("JPY")


def test_check_currency_names_the_item() -> None:
    catalog = catalog_of(item(cost=Decimal("12.50")))
    with pytest.raises(CatalogError) as caught:
        catalog.check_currency("JPY")
    assert caught.value.message == (
        'catalog: item "flowers": key "cost": JPY amounts are whole numbers, with no decimals.'
    )
    assert caught.value.field == "currency"
    catalog.check_currency("USD")


def test_suits_matches_kinds() -> None:
    cake = item(kinds=frozenset({EventKind.BIRTHDAY, EventKind.WEDDING}))
    assert cake.suits(EventKind.BIRTHDAY) is True
    assert cake.suits(EventKind.WEDDING) is True
    assert cake.suits(EventKind.NEW_JOB) is False
    assert item(kinds=None).suits(EventKind.NEW_JOB) is True


@pytest.mark.parametrize("kind", [k for k in EventKind if is_sensitive(k)])
def test_sensitive_kinds_need_sensitive_ok_and_no_promotion(kind: EventKind) -> None:
    assert item(sensitive_ok=True, promotional=False).suits(kind) is True
    assert item(sensitive_ok=False, promotional=False).suits(kind) is False
    # Promotional is never offered for a sensitive event, whatever sensitive_ok says.
    assert item(sensitive_ok=True, promotional=True).suits(kind) is False
    assert item(sensitive_ok=True, promotional=True, kinds=frozenset({kind})).suits(kind) is False


def test_sensitive_kinds_are_bereavement_and_recovery() -> None:
    assert {k for k in EventKind if is_sensitive(k)} == {EventKind.BEREAVEMENT, EventKind.RECOVERY}


def test_non_sensitive_kinds_accept_promotions() -> None:
    discount = item(sensitive_ok=False, promotional=True, category=Category.UPGRADE)
    assert discount.suits(EventKind.BIRTHDAY) is True
    assert discount.suits(EventKind.SERVICE_RECOVERY) is True


# --- suggestions -----------------------------------------------------------------------


def shop() -> Catalog:
    return catalog_of(
        item(id="cake", name="Cake", cost=Decimal("40")),
        item(id="bouquet", name="Bouquet", cost=Decimal("40")),
        item(id="card", name="Gift card", cost=Decimal("15.50")),
        item(id="spa", name="Spa day", cost=Decimal("150")),
        item(id="old", name="Retired mug", cost=Decimal("5"), active=False),
        item(id="baby", name="Baby box", cost=Decimal("20"), kinds=frozenset({EventKind.NEW_BABY})),
        item(id="code", name="Discount code", cost=Decimal("0"), promotional=True),
        item(id="upgrade", name="Expedited shipping", cost=Decimal("0"), promotional=True),
    )


def ids(items: list[CatalogItem]) -> list[str]:
    return [i.id for i in items]


def test_suggestions_cheapest_first_ties_by_name() -> None:
    offered = suggestions(shop(), EventKind.BIRTHDAY, "USD", 100_000)
    assert ids(offered) == ["code", "upgrade", NOTE_ITEM_ID, "card", "bouquet", "cake", "spa"]


def test_suggestions_fit_the_allowance() -> None:
    assert ids(suggestions(shop(), EventKind.BIRTHDAY, "USD", 4000)) == [
        "code",
        "upgrade",
        NOTE_ITEM_ID,
        "card",
        "bouquet",
        "cake",
    ]
    assert ids(suggestions(shop(), EventKind.BIRTHDAY, "USD", 3999)) == [
        "code",
        "upgrade",
        NOTE_ITEM_ID,
        "card",
    ]
    assert ids(suggestions(shop(), EventKind.BIRTHDAY, "USD", 1549)) == [
        "code",
        "upgrade",
        NOTE_ITEM_ID,
    ]


@pytest.mark.parametrize("allowance", [0, -500])
def test_free_items_fit_an_empty_or_overspent_allowance(allowance: int) -> None:
    offered = suggestions(shop(), EventKind.BIRTHDAY, "USD", allowance)
    assert ids(offered) == ["code", "upgrade", NOTE_ITEM_ID]


def test_suggestions_follow_the_kind() -> None:
    offered = ids(suggestions(shop(), EventKind.NEW_BABY, "USD", 3000))
    assert offered == ["code", "upgrade", NOTE_ITEM_ID, "card", "baby"]


@pytest.mark.parametrize("kind", [EventKind.BEREAVEMENT, EventKind.RECOVERY])
def test_suggestions_never_promote_on_sensitive_events(kind: EventKind) -> None:
    offered = suggestions(shop(), kind, "USD", 100_000)
    assert ids(offered) == [NOTE_ITEM_ID, "card", "bouquet", "cake", "spa"]


def test_suggestions_skip_costs_the_currency_cannot_express() -> None:
    offered = suggestions(shop(), EventKind.BIRTHDAY, "JPY", 100)
    assert ids(offered) == ["code", "upgrade", NOTE_ITEM_ID, "bouquet", "cake"]
