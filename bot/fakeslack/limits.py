"""Block Kit limits as Slack enforces them, so an oversized payload fails in tests, not in Slack.

Our own walk reports what slack_sdk's models do not check (2000-char fields, option text,
empty texts, duplicate ids, the ~12k characters of block text per message); slack_sdk's
validation then covers the rest of each block. Messages read like Slack's:
"[ERROR] must be at most 3000 characters [json-pointer:/blocks/0/text/text]".
"""

from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.limits import block_text_length

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40_000
MESSAGE_BLOCK_TEXT = 12_000  # Slack answers msg_blocks_too_long somewhere above this
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
URL = 3000
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTIONS = 100
ACTIONS_ELEMENTS = 25
CONTEXT_ELEMENTS = 10
ID = 255  # action_id, block_id, callback_id, external_id
MODAL_TEXT = 24  # title, submit, close
PRIVATE_METADATA = 3000
LABEL = 2000
PLACEHOLDER = 150
CONFIRM = {"title": 100, "text": 300, "confirm": 30, "deny": 30}
OPTION_HOLDERS = ("options", "initial_options")


@dataclass(frozen=True)
class Problem:
    error: str  # the Slack error code this problem earns
    message: str


class _Walk:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def fail(self, pointer: str, text: str) -> None:
        self.messages.append(f"[ERROR] {text} [json-pointer:{pointer}]")

    def length(self, value: Any, limit: int, pointer: str, minimum: int = 0) -> None:
        if not isinstance(value, str):
            if value is not None or minimum:
                self.fail(pointer, "must be a string")
            return
        if len(value) > limit:
            self.fail(pointer, f"must be at most {limit} characters (got {len(value)})")
        elif len(value) < minimum:
            self.fail(pointer, f"must be at least {minimum} characters")

    def text(self, obj: Any, limit: int, pointer: str, *, plain: bool = False) -> None:
        if obj is None:
            return
        if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
            self.fail(pointer, "must be a text object (plain_text or mrkdwn)")
        elif plain and obj["type"] != "plain_text":
            self.fail(f"{pointer}/type", "must be plain_text")
        else:
            self.length(obj.get("text"), limit, f"{pointer}/text", minimum=1)

    def count(self, items: Any, limit: int, pointer: str) -> list[Any]:
        if items is None:
            return []
        if not isinstance(items, list):
            self.fail(pointer, "must be an array")
            return []
        if len(items) > limit:
            self.fail(pointer, f"must have at most {limit} items (got {len(items)})")
        return items

    def option(self, option: Any, pointer: str) -> None:
        if not isinstance(option, dict):
            self.fail(pointer, "must be an option object")
            return
        self.text(option.get("text"), OPTION_TEXT, f"{pointer}/text")
        self.length(option.get("value"), OPTION_VALUE, f"{pointer}/value")
        self.text(option.get("description"), OPTION_TEXT, f"{pointer}/description")

    def element(self, element: Any, pointer: str, action_ids: set[str]) -> None:
        if not isinstance(element, dict):
            self.fail(pointer, "must be an object")
            return
        kind = element.get("type")
        if kind in ("plain_text", "mrkdwn", "image"):  # context elements
            if kind != "image":
                self.text(element, SECTION_TEXT, pointer)
            return
        if (action_id := element.get("action_id")) is not None:
            self.length(action_id, ID, f"{pointer}/action_id")
            if action_id in action_ids:
                self.fail(f"{pointer}/action_id", f"duplicate action_id {action_id!r}")
            action_ids.add(action_id)
        limit = BUTTON_TEXT if kind == "button" else SECTION_TEXT
        self.text(element.get("text"), limit, f"{pointer}/text", plain=kind == "button")
        self.length(element.get("value"), BUTTON_VALUE, f"{pointer}/value")
        self.length(element.get("url"), URL, f"{pointer}/url")
        self.text(element.get("placeholder"), PLACEHOLDER, f"{pointer}/placeholder", plain=True)
        for key in OPTION_HOLDERS:
            for i, option in enumerate(self.count(element.get(key), OPTIONS, f"{pointer}/{key}")):
                self.option(option, f"{pointer}/{key}/{i}")
        if isinstance(element.get("initial_option"), dict):
            self.option(element["initial_option"], f"{pointer}/initial_option")
        groups = self.count(element.get("option_groups"), OPTIONS, f"{pointer}/option_groups")
        for i, group in enumerate(g for g in groups if isinstance(g, dict)):
            at = f"{pointer}/option_groups/{i}"
            self.text(group.get("label"), OPTION_TEXT, f"{at}/label", plain=True)
            for j, option in enumerate(self.count(group.get("options"), OPTIONS, f"{at}/options")):
                self.option(option, f"{at}/options/{j}")
        if isinstance(confirm := element.get("confirm"), dict):
            for key, most in CONFIRM.items():
                self.text(confirm.get(key), most, f"{pointer}/confirm/{key}")

    def block(self, block: Any, pointer: str, block_ids: set[str]) -> None:
        if not isinstance(block, dict):
            self.fail(pointer, "must be a block object")
            return
        if (block_id := block.get("block_id")) is not None:
            self.length(block_id, ID, f"{pointer}/block_id")
            if block_id in block_ids:
                self.fail(f"{pointer}/block_id", f"duplicate block_id {block_id!r}")
            block_ids.add(block_id)
        kind, action_ids = block.get("type"), set[str]()
        if kind == "section":
            self.text(block.get("text"), SECTION_TEXT, f"{pointer}/text")
            for i, field in enumerate(self.count(block.get("fields"), FIELDS, f"{pointer}/fields")):
                self.text(field, FIELD_TEXT, f"{pointer}/fields/{i}")
            if block.get("accessory") is not None:
                self.element(block["accessory"], f"{pointer}/accessory", action_ids)
        elif kind == "header":
            self.text(block.get("text"), HEADER_TEXT, f"{pointer}/text", plain=True)
        elif kind in ("actions", "context"):
            most = ACTIONS_ELEMENTS if kind == "actions" else CONTEXT_ELEMENTS
            elements = self.count(block.get("elements"), most, f"{pointer}/elements")
            for i, element in enumerate(elements):
                self.element(element, f"{pointer}/elements/{i}", action_ids)
        elif kind == "input":
            self.text(block.get("label"), LABEL, f"{pointer}/label", plain=True)
            self.text(block.get("hint"), LABEL, f"{pointer}/hint", plain=True)
            self.element(block.get("element"), f"{pointer}/element", action_ids)

    def sdk(self, block: Any, pointer: str) -> None:
        """slack_sdk's own model validation, for what the walk above does not know."""
        try:
            parsed = Block.parse(block)
            if parsed is None:
                self.fail(f"{pointer}/type", f"unsupported block type {block.get('type')!r}")
            else:
                parsed.to_dict()
        except (SlackObjectFormationError, TypeError, KeyError, AttributeError, ValueError) as e:
            self.fail(pointer, str(e) or type(e).__name__)

    def blocks(self, blocks: Any, most: int) -> None:
        items = self.count(blocks, most, "/blocks")
        block_ids: set[str] = set()
        for i, block in enumerate(items):
            before = len(self.messages)
            self.block(block, f"/blocks/{i}", block_ids)
            if len(self.messages) == before and isinstance(block, dict):
                self.sdk(block, f"/blocks/{i}")


def check_message(text: Any, blocks: Any, attachments: Any = None) -> list[Problem]:
    """Problems Slack would reject a chat message (or response_url body) for, first code first."""
    if not text and not blocks and not attachments:
        return [Problem("no_text", "[ERROR] text, blocks or attachments is required")]
    if isinstance(text, str) and len(text) > MESSAGE_TEXT:
        return [Problem("msg_too_long", f"[ERROR] text is over {MESSAGE_TEXT} characters")]
    walk = _Walk()
    walk.blocks(blocks, MESSAGE_BLOCKS)
    if walk.messages:
        return [Problem("invalid_blocks", m) for m in walk.messages]
    if (size := block_text_length(blocks)) > MESSAGE_BLOCK_TEXT:
        note = f"[ERROR] blocks hold {size} characters of text, over {MESSAGE_BLOCK_TEXT}"
        return [Problem("msg_blocks_too_long", note)]
    return []


def check_view(view: Any, *, expected_type: str | None = None) -> list[Problem]:
    """Problems with a modal or Home tab; Slack answers these with invalid_arguments."""
    walk = _Walk()
    if not isinstance(view, dict):
        walk.fail("/view", "must be a view object")
        return [Problem("invalid_arguments", m) for m in walk.messages]
    kind = view.get("type")
    if kind not in ("modal", "home") or (expected_type and kind != expected_type):
        walk.fail("/view/type", f"must be {expected_type or 'modal or home'}")
    if kind == "modal":
        walk.text(view.get("title"), MODAL_TEXT, "/view/title", plain=True)
        if not view.get("title"):
            walk.fail("/view/title", "is required for a modal")
        walk.text(view.get("submit"), MODAL_TEXT, "/view/submit", plain=True)
        walk.text(view.get("close"), MODAL_TEXT, "/view/close", plain=True)
        blocks = view.get("blocks") if isinstance(view.get("blocks"), list) else []
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        if has_input and not view.get("submit"):
            walk.fail("/view/submit", "is required when the view has input blocks")
    walk.length(view.get("private_metadata"), PRIVATE_METADATA, "/view/private_metadata")
    walk.length(view.get("callback_id"), ID, "/view/callback_id")
    walk.length(view.get("external_id"), ID, "/view/external_id")
    walk.blocks(view.get("blocks"), VIEW_BLOCKS)
    if not walk.messages:
        try:
            View(**view).to_dict()
        except (SlackObjectFormationError, TypeError, KeyError, AttributeError, ValueError) as e:
            walk.fail("/view", str(e))
    return [Problem("invalid_arguments", m) for m in walk.messages]


def response_metadata(problems: list[Problem]) -> dict[str, Any]:
    """The error body Slack sends for rejected blocks or views."""
    messages = [p.message for p in problems]
    return {
        "ok": False,
        "error": problems[0].error,
        "errors": messages,
        "response_metadata": {"messages": messages},
    }
