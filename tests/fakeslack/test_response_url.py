from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.fakeslack import FakeSlack, ManualClock
from tests.fakeslack.conftest import ALICE, BOB

BUTTONS = [
    {
        "type": "actions",
        "block_id": "decide",
        "elements": [
            {
                "type": "button",
                "action_id": "approve",
                "text": {"type": "plain_text", "text": "Approve"},
            }
        ],
    }
]


def test_replace_original_updates_the_message_in_place(
    fake: FakeSlack, web: WebClient, channel: str
) -> None:
    ts = web.chat_postMessage(channel=channel, text="Approve?", blocks=BUTTONS)["ts"]
    url = fake.response_url_for(channel, BOB, message_ts=ts)
    answer = WebhookClient(url).send(text="Approved by Bob", replace_original=True)
    assert answer.status_code == 200
    [message] = fake.messages(channel)
    assert (message.ts, message.text, message.blocks) == (ts, "Approved by Bob", [])
    assert fake.wait_for_call("response_url").ok


def test_a_click_answered_without_replace_original_leaves_the_message(
    fake: FakeSlack, web: WebClient, channel: str
) -> None:
    ts = web.chat_postMessage(channel=channel, text="Approve?", blocks=BUTTONS)["ts"]
    WebhookClient(fake.response_url_for(channel, BOB, message_ts=ts)).send(text="Only you")
    assert fake.message(channel, ts).text == "Approve?"
    assert [e.text for e in fake.ephemerals(BOB, channel)] == ["Only you"]


def test_without_replace_the_answer_is_a_new_ephemeral_or_in_channel_message(
    fake: FakeSlack, channel: str
) -> None:
    url = fake.response_url_for(channel, ALICE)
    WebhookClient(url).send(text="just you")
    WebhookClient(url).send(text="everyone", response_type="in_channel")
    assert [e.text for e in fake.ephemerals(ALICE)] == ["just you"]
    assert [m.text for m in fake.messages(channel)] == ["everyone"]


def test_delete_original(fake: FakeSlack, web: WebClient, channel: str) -> None:
    ts = web.chat_postMessage(channel=channel, text="Approve?", blocks=BUTTONS)["ts"]
    url = fake.response_url_for(channel, BOB, message_ts=ts)
    assert WebhookClient(url).send_dict({"delete_original": True}).status_code == 200
    assert fake.messages(channel) == []
    again = WebhookClient(url).send_dict({"replace_original": True, "text": "x"})
    assert (again.status_code, "message_not_found" in again.body) == (404, True)


def test_an_ephemeral_original_is_replaced_for_its_user(
    fake: FakeSlack, web: WebClient, channel: str
) -> None:
    ts = web.chat_postEphemeral(channel=channel, user=ALICE, text="Help", blocks=BUTTONS)[
        "message_ts"
    ]
    url = fake.response_url_for(channel, ALICE, message_ts=ts, ephemeral=True)
    WebhookClient(url).send(text="Done", replace_original=True)
    assert [(e.ts, e.text) for e in fake.ephemerals(ALICE)] == [(ts, "Done")]
    WebhookClient(url).send_dict({"delete_original": True})
    assert fake.ephemerals(ALICE) == []


def test_five_uses_within_thirty_minutes(clocked: FakeSlack, clock: ManualClock) -> None:
    dm = clocked.dm(ALICE)
    url = clocked.response_url_for(dm, ALICE)
    hook = WebhookClient(url)
    assert [hook.send(text=str(i)).status_code for i in range(6)] == [200] * 5 + [404]
    assert "used_url" in hook.send(text="x").body
    late = WebhookClient(clocked.response_url_for(dm, ALICE))
    clock.advance(30 * 60 + 1)
    answer = late.send(text="too late")
    assert (answer.status_code, "expired_url" in answer.body) == (404, True)
    assert len(clocked.ephemerals(ALICE)) == 5


def test_response_url_bodies_respect_block_kit_limits(fake: FakeSlack, channel: str) -> None:
    hook = WebhookClient(fake.response_url_for(channel, ALICE))
    too_long = [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]
    answer = hook.send(text="t", blocks=too_long)
    assert (answer.status_code, "invalid_blocks" in answer.body) == (400, True)
    assert fake.ephemerals(ALICE) == []
    assert WebhookClient(f"{fake.url}response/unknown").send(text="x").status_code == 404
