"""What a Slack client keeps for the inputs of a view or message: `state.values`.

`default_values` gives what Slack sends when the user changes nothing (initial values);
`fill` changes a few fields by block_id or label with plain Python values; and
`client_side_errors` applies the checks Slack's own client makes before anything is sent.
"""

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any

from bot.fakeslack.records import Ephemeral, Json, Message, View

# element type -> (key in state.values, key of its initial value, value when empty)
STATE_KEYS: dict[str, tuple[str, str | None, Any]] = {
    "plain_text_input": ("value", "initial_value", None),
    "email_text_input": ("value", "initial_value", None),
    "url_text_input": ("value", "initial_value", None),
    "number_input": ("value", "initial_value", None),
    "rich_text_input": ("rich_text_value", "initial_value", None),
    "static_select": ("selected_option", "initial_option", None),
    "external_select": ("selected_option", "initial_option", None),
    "radio_buttons": ("selected_option", "initial_option", None),
    "multi_static_select": ("selected_options", "initial_options", []),
    "multi_external_select": ("selected_options", "initial_options", []),
    "checkboxes": ("selected_options", "initial_options", []),
    "users_select": ("selected_user", "initial_user", None),
    "multi_users_select": ("selected_users", "initial_users", []),
    "conversations_select": ("selected_conversation", "initial_conversation", None),
    "multi_conversations_select": ("selected_conversations", "initial_conversations", []),
    "channels_select": ("selected_channel", "initial_channel", None),
    "multi_channels_select": ("selected_channels", "initial_channels", []),
    "datepicker": ("selected_date", "initial_date", None),
    "timepicker": ("selected_time", "initial_time", None),
    "datetimepicker": ("selected_date_time", "initial_date_time", None),
    "file_input": ("files", None, []),
}
REQUIRED = "Please complete this required field."
Values = dict[str, dict[str, Json]]
Surface = View | Message | Ephemeral | Json | list[Json]


def _blocks(source: Surface) -> list[Json]:
    if isinstance(source, (View, Message, Ephemeral)):
        return source.blocks
    if isinstance(source, dict):
        return list(source.get("blocks") or [])
    return source


def stateful_elements(source: Surface) -> Iterator[tuple[Json, Json]]:
    """(block, element) for every element whose value Slack reports in state.values."""
    for block in _blocks(source):
        candidates = [block.get("element"), block.get("accessory")]
        if block.get("type") == "actions":
            candidates += block.get("elements") or []
        for element in candidates:
            if isinstance(element, dict) and element.get("type") in STATE_KEYS:
                yield block, element


def element_state(element: Json, value: Any) -> Json:
    """A plain value as Slack reports it: option values become their option objects."""
    kind = element["type"]
    key, _, empty = STATE_KEYS[kind]
    if value is None:
        value = copy.deepcopy(empty)
    elif key in ("selected_option", "selected_options"):
        many = value if isinstance(value, list) else [value]
        found = [_option(element, v) for v in many]
        value = found if key == "selected_options" else found[0]
    elif key == "value":
        value = str(value)
    return {"type": kind, key: value}


def _option(element: Json, value: Any) -> Json:
    if isinstance(value, dict):
        return value
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    options += element.get("initial_options") or []
    if element.get("initial_option"):
        options.append(element["initial_option"])
    found = next((o for o in options if o.get("value") == str(value)), None)
    if found is None and element["type"] not in ("external_select", "multi_external_select"):
        raise LookupError(f"no option with value {value!r} in {element.get('action_id')}")
    # external selects get their options from the app, so any value can be chosen
    return found or {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)}


def default_values(source: Surface) -> Values:
    """state.values as Slack sends it when the user submits without changing anything."""
    values: Values = {}
    for block, element in stateful_elements(source):
        _, initial_key, _ = STATE_KEYS[element["type"]]
        initial = copy.deepcopy(element.get(initial_key)) if initial_key else None
        state = element_state(element, None)
        if initial is not None:
            state[STATE_KEYS[element["type"]][0]] = initial
        values.setdefault(block["block_id"], {})[element["action_id"]] = state
    return values


def _label(block: Json) -> str | None:
    label = block.get("label")
    return label.get("text") if isinstance(label, dict) else None


def fill(
    source: Surface,
    changes: Mapping[str, Any],
    values: Values | None = None,
) -> Values:
    """Start from `values` (or the defaults) and set fields named by block_id or label:
    text for inputs, an option value (or list) for selects, a user id, "YYYY-MM-DD"...
    """
    values = copy.deepcopy(values) if values is not None else default_values(source)
    remaining = dict(changes)
    for block, element in stateful_elements(source):
        for name in (block["block_id"], _label(block)):
            if name in remaining:
                state = element_state(element, remaining.pop(name))
                values.setdefault(block["block_id"], {})[element["action_id"]] = state
                break
    if remaining:
        raise LookupError(f"no input with block_id or label {sorted(remaining)}")
    return values


def _is_empty(state: Json) -> bool:
    return all(v in (None, "", []) for k, v in state.items() if k != "type")


def client_side_errors(source: Surface, values: Values) -> dict[str, str]:
    """What Slack's client refuses to submit: required fields, lengths, number bounds."""
    errors: dict[str, str] = {}
    for block in _blocks(source):
        element = block.get("element")
        if block.get("type") != "input" or not isinstance(element, dict):
            continue
        state = values.get(block["block_id"], {}).get(element.get("action_id", ""), {})
        if not state or _is_empty(state):
            if not block.get("optional"):
                errors[block["block_id"]] = REQUIRED
            continue
        if problem := _value_problem(element, state.get("value")):
            errors[block["block_id"]] = problem
    return errors


def _value_problem(element: Json, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    kind = element["type"]
    if kind == "plain_text_input":
        if len(value) < int(element.get("min_length") or 0):
            return f"Must be at least {element['min_length']} characters."
        if "max_length" in element and len(value) > int(element["max_length"]):
            return f"Must be at most {element['max_length']} characters."
    if kind == "number_input":
        pattern = r"-?\d+(\.\d+)?" if element.get("is_decimal_allowed") else r"-?\d+"
        if not re.fullmatch(pattern, value):
            return (
                "Enter a number." if element.get("is_decimal_allowed") else "Enter a whole number."
            )
        if "min_value" in element and float(value) < float(element["min_value"]):
            return f"Must be at least {element['min_value']}."
        if "max_value" in element and float(value) > float(element["max_value"]):
            return f"Must be at most {element['max_value']}."
    if kind == "email_text_input" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        return "Enter an email address."
    if kind == "url_text_input" and not re.match(r"https?://", value):
        return "Enter a URL."
    return None
