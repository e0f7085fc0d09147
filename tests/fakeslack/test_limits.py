import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack
from bot.fakeslack.limits import check_message, check_view


def section(text: str, **extra: object) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str = "Approve", **extra: object) -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": "a",
        **extra,
    }


def select(options: int, text: str = "Option") -> dict:
    return {
        "type": "static_select",
        "action_id": "s",
        "options": [
            {"text": {"type": "plain_text", "text": text}, "value": str(i)} for i in range(options)
        ],
    }


def errors(blocks: list[dict], text: str = "fallback") -> set[str]:
    return {p.error for p in check_message(text, blocks)}


def test_an_oversized_section_is_refused_by_the_api_with_pointers(
    web: WebClient, fake: FakeSlack, channel: str
) -> None:
    with pytest.raises(SlackApiError) as caught:
        web.chat_postMessage(channel=channel, text="t", blocks=[section("ok"), section("x" * 3001)])
    answer = caught.value.response
    assert answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] must be at most 3000 characters (got 3001) [json-pointer:/blocks/1/text/text]"
    ]
    assert fake.messages(channel) == []


@pytest.mark.parametrize(
    "blocks",
    [
        [section("x")] * 51,
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        [{"type": "actions", "elements": [button("b" * 76)]}],
        [{"type": "actions", "elements": [button(value="v" * 2001)]}],
        [{"type": "actions", "elements": [button(action_id="a" * 256)]}],
        [section("x", block_id="b" * 256)],
        [section("x", block_id="same"), section("y", block_id="same")],
        [section("x", accessory=select(101))],
        [section("x", accessory=select(2, text="o" * 76))],
        [{"type": "actions", "elements": [dict(button(), action_id=f"a{i}") for i in range(26)]}],
        [section("")],
        [{"type": "no_such_block"}],
        [{"type": "section"}],  # slack_sdk's own validation: text or fields required
    ],
)
def test_block_kit_limits_are_enforced(blocks: list[dict]) -> None:
    assert errors(blocks) == {"invalid_blocks"}


def test_limits_at_their_maximum_pass() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 150}},
        section("x" * 3000, accessory=select(100, text="o" * 20)),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 200}] * 10},
        section("y", accessory=select(1, text="o" * 75)),
        {"type": "actions", "elements": [button("b" * 75, value="v" * 2000)]},
    ] + [{"type": "divider"}] * 45
    assert check_message("t" * 40_000, blocks) == []


def test_message_size_errors() -> None:
    assert errors([], text="t" * 40_001) == {"msg_too_long"}
    assert errors([section("x" * 3000)] * 5) == {"msg_blocks_too_long"}
    assert errors([], text="") == {"no_text"}


def test_view_limits() -> None:
    good = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "t" * 24},
        "submit": {"type": "plain_text", "text": "Save"},
        "private_metadata": "m" * 3000,
        "blocks": [section("x")] * 100,
    }
    assert check_view(good) == []
    for change in (
        {"title": {"type": "plain_text", "text": "t" * 25}},
        {"submit": {"type": "plain_text", "text": "s" * 25}},
        {"close": {"type": "plain_text", "text": "c" * 25}},
        {"private_metadata": "m" * 3001},
        {"callback_id": "c" * 256},
        {"blocks": [section("x")] * 101},
        {"title": None},
        {"submit": None, "blocks": [_input()]},
    ):
        problems = check_view(good | change)
        assert problems and {p.error for p in problems} == {"invalid_arguments"}, change
    assert check_view({"type": "home", "blocks": [section("x")] * 100}) == []


def _input() -> dict:
    return {
        "type": "input",
        "label": {"type": "plain_text", "text": "Customer"},
        "element": {"type": "plain_text_input", "action_id": "v"},
    }
