"""Slack's Block Kit limits (SPEC §3, RELIABILITY 18), in one place."""

MESSAGE_BLOCKS = 50
MODAL_BLOCKS = 100
SECTION_TEXT = 3000
FIELD_TEXT = 2000
SECTION_FIELDS = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
OPTION_TEXT = 75
OPTIONS = 100
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
MODAL_TITLE = 24
ID = 255
PRIVATE_METADATA = 3000
BUTTON_VALUE = 2000
INPUT_LABEL = 2000
PLACEHOLDER = 150
MESSAGE_TEXT = 40_000
# msg_blocks_too_long was observed at ~13.2k characters of block text; stay well under.
MESSAGE_BLOCK_CHARS = 12_000


def block_text_length(value: object) -> int:
    """Characters of every `text` string anywhere in blocks (what msg_blocks_too_long counts)."""
    if isinstance(value, list):
        return sum(block_text_length(v) for v in value)
    if isinstance(value, dict):
        return sum(
            len(v) if k == "text" and isinstance(v, str) else block_text_length(v)
            for k, v in value.items()
        )
    return 0
