import time

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from bot.fakeslack import FakeSlack, InvalidSubmission, SlackClient, View, default_values, fill
from tests.fakeslack.app_stub import SECRET, AppStub
from tests.fakeslack.conftest import ALICE, BOB


def text_input(block_id: str, label: str, **element: object) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {"type": "plain_text_input", "action_id": "value", **element},
    }


EVENT_MODAL = {
    "type": "modal",
    "callback_id": "log_event",
    "private_metadata": '{"client_key": "k1"}',
    "title": {"type": "plain_text", "text": "Log a life event"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        text_input("customer", "Customer", initial_value="Ada"),
        text_input("notes", "Notes", max_length=10),
        {
            "type": "input",
            "block_id": "kind",
            "label": {"type": "plain_text", "text": "Life event"},
            "element": {
                "type": "static_select",
                "action_id": "value",
                "options": [
                    {"text": {"type": "plain_text", "text": t}, "value": t}
                    for t in ("new_baby", "wedding")
                ],
            },
        },
        {
            "type": "input",
            "block_id": "date",
            "optional": True,
            "label": {"type": "plain_text", "text": "Date"},
            "element": {"type": "datepicker", "action_id": "value", "initial_date": "2026-11-16"},
        },
    ],
}


def open_modal(fake: FakeSlack, user: str = ALICE) -> View:
    web = WebClient(token=fake.bot_token, base_url=fake.api_url)
    web.views_open(trigger_id=fake.new_trigger_id(user), view=EVENT_MODAL)
    view = fake.modal(user)
    assert view is not None
    return view


def test_a_command_is_signed_like_slack_and_carries_a_live_trigger(
    fake: FakeSlack, app: AppStub, slack: SlackClient, channel: str
) -> None:
    reply = slack.command(ALICE, "/perk", "event", channel)
    [got] = app.received
    assert reply.status == 200 and got.verified
    assert got.headers["content-type"] == "application/x-www-form-urlencoded"
    assert SignatureVerifier(SECRET).is_valid(
        got.body, got.headers["x-slack-request-timestamp"], got.headers["x-slack-signature"]
    )
    form = got.form
    assert (form["command"], form["text"], form["user_id"], form["channel_id"]) == (
        "/perk",
        "event",
        ALICE,
        channel,
    )
    assert (form["team_id"], form["channel_name"], form["user_name"]) == (
        "T0001",
        "approvals",
        "alice",
    )
    web = WebClient(token=fake.bot_token, base_url=fake.api_url)
    assert web.views_open(trigger_id=form["trigger_id"], view=EVENT_MODAL)["ok"]
    assert WebhookClient(form["response_url"]).send(text="ok").status_code == 200
    assert [e.text for e in fake.ephemerals(ALICE)] == ["ok"]
    assert reply.elapsed < 2


def test_a_command_from_a_dm_by_default(fake: FakeSlack, app: AppStub, slack: SlackClient) -> None:
    slack.command(BOB, "/perk", "budget")
    assert (app.received[0].form["channel_id"], app.received[0].form["channel_name"]) == (
        fake.dm(BOB),
        "directmessage",
    )


def test_a_command_ack_body_is_shown_to_the_user(
    fake: FakeSlack, app: AppStub, slack: SlackClient, channel: str
) -> None:
    app.answer = lambda _: (200, {"text": "Usage: /perk help"})
    reply = slack.command(ALICE, "/perk", "nonsense", channel)
    assert reply.json == {"text": "Usage: /perk help"} and reply.problems == []
    assert [e.text for e in fake.ephemerals(ALICE, channel)] == ["Usage: /perk help"]
    app.answer = lambda _: (200, {"text": "t", "blocks": [{"type": "section"}]})
    assert slack.command(ALICE, "/perk", "x", channel).problems  # Slack would refuse it


def test_wrong_secret_stale_time_and_missing_headers_fail_verification(
    app: AppStub, slack: SlackClient
) -> None:
    replies = [
        slack.with_options(secret="wrong").command(ALICE, "/perk"),
        slack.with_options(clock=lambda: time.time() - 600).command(ALICE, "/perk"),
        slack.with_options(sign=False).command(ALICE, "/perk"),
        slack.command(ALICE, "/perk"),
    ]
    assert [r.status for r in replies] == [401, 401, 401, 200]
    assert "x-slack-signature" not in app.received[2].headers


def test_retry_headers(app: AppStub, slack: SlackClient) -> None:
    event = {"type": "app_mention", "user": ALICE, "text": "hi"}
    slack.event(event, event_id="Ev1")
    slack.with_options(retry_num=1, retry_reason="http_timeout").event(event, event_id="Ev1")
    first, retry = app.received
    assert first.json["event_id"] == retry.json["event_id"] == "Ev1"
    assert "x-slack-retry-num" not in first.headers
    assert (retry.headers["x-slack-retry-num"], retry.headers["x-slack-retry-reason"]) == (
        "1",
        "http_timeout",
    )
    assert retry.verified and retry.json["type"] == "event_callback"
    assert retry.json["authorizations"][0]["team_id"] == "T0001"


def test_url_verification(app: AppStub, slack: SlackClient) -> None:
    app.answer = lambda got: (200, {"challenge": got.json["challenge"]})
    assert slack.url_verification("abc").json == {"challenge": "abc"}


def test_block_action_on_a_message(
    fake: FakeSlack, app: AppStub, slack: SlackClient, web: WebClient, channel: str
) -> None:
    blocks = [
        {
            "type": "actions",
            "block_id": "decide",
            "elements": [
                {
                    "type": "button",
                    "action_id": "approve",
                    "text": {"type": "plain_text", "text": "Approve"},
                    "value": "proposal-7",
                    "style": "primary",
                }
            ],
        }
    ]
    ts = web.chat_postMessage(channel=channel, text="Approve?", blocks=blocks)["ts"]
    slack.block_action(BOB, fake.message(channel, ts), "approve")
    payload = app.received[0].payload
    assert payload["type"] == "block_actions" and payload["user"]["id"] == BOB
    assert payload["container"] == {
        "type": "message",
        "message_ts": ts,
        "channel_id": channel,
        "is_ephemeral": False,
    }
    [action] = payload["actions"]
    assert (action["action_id"], action["block_id"], action["value"], action["style"]) == (
        "approve",
        "decide",
        "proposal-7",
        "primary",
    )
    assert payload["message"]["ts"] == ts and payload["channel"]["id"] == channel
    WebhookClient(payload["response_url"]).send(text="Approved", replace_original=True)
    assert fake.message(channel, ts).text == "Approved"
    with pytest.raises(LookupError):
        slack.block_action(BOB, fake.message(channel, ts), "approve")  # the button is gone


def test_view_submission_with_a_few_fields_changed(
    fake: FakeSlack, app: AppStub, slack: SlackClient
) -> None:
    view = open_modal(fake)
    values = fill(view, {"Life event": "new_baby", "notes": "twins!"})
    reply = slack.view_submission(ALICE, view, values)
    payload = app.received[0].payload
    submitted = payload["view"]["state"]["values"]
    assert submitted["customer"]["value"] == {"type": "plain_text_input", "value": "Ada"}
    assert submitted["kind"]["value"]["selected_option"]["value"] == "new_baby"
    assert submitted["date"]["value"] == {"type": "datepicker", "selected_date": "2026-11-16"}
    assert payload["view"]["private_metadata"] == '{"client_key": "k1"}'
    assert (payload["type"], payload["view"]["callback_id"], payload["view"]["id"]) == (
        "view_submission",
        "log_event",
        view.id,
    )
    assert reply.problems == [] and fake.modal(ALICE) is None  # an empty ack closes it


def test_slacks_client_refuses_empty_required_fields_and_long_text(
    fake: FakeSlack, app: AppStub, slack: SlackClient
) -> None:
    view = open_modal(fake)
    with pytest.raises(InvalidSubmission) as caught:
        slack.view_submission(ALICE, view, fill(view, {"notes": "far too long"}))
    assert set(caught.value.errors) == {"kind", "notes"}
    assert app.received == []
    assert default_values(view)["kind"]["value"] == {
        "type": "static_select",
        "selected_option": None,
    }


def test_response_action_errors_update_push_and_clear(
    fake: FakeSlack, app: AppStub, slack: SlackClient
) -> None:
    view = open_modal(fake)
    values = fill(view, {"kind": "wedding", "notes": "twins"})
    app.answer = lambda _: (200, {"response_action": "errors", "errors": {"customer": "Unknown"}})
    assert slack.view_submission(ALICE, view, values).problems == []
    assert fake.modal(ALICE).errors == {"customer": "Unknown"}
    app.answer = lambda _: (200, {"response_action": "errors", "errors": {"nope": "x"}})
    assert slack.view_submission(ALICE, view, values).problems  # not an input block id
    pushed = dict(EVENT_MODAL, title={"type": "plain_text", "text": "Propose a perk"})
    app.answer = lambda _: (200, {"response_action": "push", "view": pushed})
    slack.view_submission(ALICE, view, values)
    assert [v.body["title"]["text"] for v in fake.modal_stack(ALICE)] == [
        "Log a life event",
        "Propose a perk",
    ]
    done = [{"type": "section", "block_id": "done", "text": {"type": "mrkdwn", "text": "Saved"}}]
    app.answer = lambda _: (200, {"response_action": "update", "view": dict(pushed, blocks=done)})
    top = fake.modal(ALICE)
    slack.view_submission(ALICE, top, fill(top, {"kind": "new_baby", "notes": "x"}))
    assert fake.modal(ALICE).id == top.id and fake.modal(ALICE).blocks == done
    app.answer = lambda _: (200, {"response_action": "clear"})
    slack.view_submission(ALICE, fake.modal(ALICE), {})
    assert fake.modal_stack(ALICE) == []


def test_a_late_or_failed_answer_leaves_the_modal_open(
    fake: FakeSlack, app: AppStub, slack: SlackClient
) -> None:
    view = open_modal(fake)
    app.answer = lambda _: (500, "boom")
    reply = slack.view_submission(ALICE, view, fill(view, {"kind": "wedding", "notes": "x"}))
    assert reply.problems and fake.modal(ALICE).id == view.id


def test_block_action_in_a_modal_and_options_request(
    fake: FakeSlack, app: AppStub, slack: SlackClient
) -> None:
    modal = dict(EVENT_MODAL)
    picker = {"type": "external_select", "action_id": "pick", "min_query_length": 1}
    modal["blocks"] = [
        *EVENT_MODAL["blocks"],
        {"type": "actions", "block_id": "more", "elements": [picker]},
    ]
    WebClient(token=fake.bot_token, base_url=fake.api_url).views_open(
        trigger_id=fake.new_trigger_id(ALICE), view=modal
    )
    view = fake.modal(ALICE)
    options = [{"text": {"type": "plain_text", "text": "Ada"}, "value": "c1"}]
    app.answer = lambda _: (200, {"options": options})
    assert slack.block_suggestion(ALICE, view, "pick", "Ad").json == {"options": options}
    slack.block_action(ALICE, view, "pick", "c1")
    suggestion, action = (r.payload for r in app.received)
    assert (suggestion["type"], suggestion["value"], suggestion["block_id"]) == (
        "block_suggestion",
        "Ad",
        "more",
    )
    assert action["container"] == {"type": "view", "view_id": view.id}
    assert action["actions"][0]["selected_option"]["value"] == "c1"
    assert "response_url" not in action and action["view"]["id"] == view.id


def test_message_shortcut_and_view_closed(
    fake: FakeSlack, app: AppStub, slack: SlackClient, channel: str
) -> None:
    message = fake.post_as_user(BOB, channel, "Ada just had twins!")
    slack.message_shortcut(ALICE, "log_life_event", message)
    shortcut = app.received[0].payload
    assert (shortcut["type"], shortcut["callback_id"], shortcut["message"]["text"]) == (
        "message_action",
        "log_life_event",
        "Ada just had twins!",
    )
    assert WebClient(token=fake.bot_token, base_url=fake.api_url).views_open(
        trigger_id=shortcut["trigger_id"], view=EVENT_MODAL
    )["ok"]
    slack.view_closed(ALICE, fake.modal(ALICE))
    assert app.received[1].payload["type"] == "view_closed" and fake.modal(ALICE) is None


def test_app_home_opened(fake: FakeSlack, app: AppStub, slack: SlackClient) -> None:
    slack.app_home_opened(ALICE)
    event = app.received[0].json["event"]
    assert (event["type"], event["user"], event["tab"]) == ("app_home_opened", ALICE, "home")
