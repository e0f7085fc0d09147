import json
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack
from tests.fakeslack.conftest import ALICE, BOB, CAROL

SECTION = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hello*"}}]


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value.response["error"]


def raw_post(fake: FakeSlack, method: str, body: bytes, headers: dict[str, str]) -> dict:
    request = urllib.request.Request(f"{fake.api_url}{method}", data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_auth_test_names_the_bot_and_its_team(fake: FakeSlack, web: WebClient) -> None:
    answer = web.auth_test()
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == (
        "T0001",
        fake.team.bot_user_id,
        fake.team.bot_id,
    )


def test_tokens_are_required_and_checked(fake: FakeSlack) -> None:
    assert error_of(WebClient(base_url=fake.api_url).auth_test) == "not_authed"
    bad = WebClient(token="xoxb-nope", base_url=fake.api_url)
    assert error_of(bad.auth_test) == "invalid_auth"
    assert error_of(lambda: bad.api_call("nope.nothing")) == "unknown_method"
    assert [c.error for c in fake.calls()] == ["not_authed", "invalid_auth", "unknown_method"]


def test_form_bodies_with_a_token_field_work_like_json_with_a_header(
    fake: FakeSlack, channel: str
) -> None:
    form = f"token={fake.bot_token}&channel={channel}&text=hi&blocks={json.dumps(SECTION)}"
    answer = raw_post(
        fake,
        "chat.postMessage",
        form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer["ok"] is True
    assert fake.last_message(channel).blocks[0]["text"]["text"] == "*hello*"


def test_post_message_keeps_the_message_with_a_unique_ts(
    fake: FakeSlack, web: WebClient, channel: str
) -> None:
    first = web.chat_postMessage(channel=channel, text="one", blocks=SECTION)
    second = web.chat_postMessage(channel=channel, text="two", thread_ts=first["ts"])
    assert first["channel"] == channel and float(second["ts"]) > float(first["ts"])
    stored = fake.messages(channel)
    assert [(m.text, m.bot_id, m.thread_ts) for m in stored] == [
        ("one", fake.team.bot_id, None),
        ("two", fake.team.bot_id, first["ts"]),
    ]
    assert stored[0].reply_count == 1
    assert stored[0].blocks[0]["block_id"]  # Slack names blocks the app left unnamed


def test_post_message_to_a_user_id_lands_in_their_dm(fake: FakeSlack, web: WebClient) -> None:
    answer = web.chat_postMessage(channel=ALICE, text="psst")
    assert answer["channel"] == fake.dm(ALICE) and answer["channel"].startswith("D")
    assert fake.last_message(fake.dm(ALICE)).text == "psst"


def test_post_message_errors(fake: FakeSlack, web: WebClient, channel: str) -> None:
    secret = fake.add_channel("secret", is_private=True, bot_member=False)
    other_team = fake.add_team("T0002")
    elsewhere = fake.add_channel("elsewhere", team_id=other_team.id)
    assert error_of(lambda: web.chat_postMessage(channel="C404", text="x")) == "channel_not_found"
    assert (
        error_of(lambda: web.chat_postMessage(channel=elsewhere.id, text="x"))
        == "channel_not_found"
    )
    assert error_of(lambda: web.chat_postMessage(channel=secret.id, text="x")) == "not_in_channel"
    assert error_of(lambda: web.chat_postMessage(channel=CAROL, text="x")) == "user_disabled"
    with pytest.warns(UserWarning, match="text"):
        assert error_of(lambda: web.chat_postMessage(channel=channel)) == "no_text"
    assert fake.messages(secret.id) == []


def test_blocks_without_fallback_text_get_slacks_warning(web: WebClient, channel: str) -> None:
    with pytest.warns(UserWarning, match="text"):
        assert web.chat_postMessage(channel=channel, blocks=SECTION)["warning"] == "missing_text"
    assert "warning" not in web.chat_postMessage(channel=channel, text="t", blocks=SECTION).data


def test_ephemeral_messages_are_kept_per_user(
    fake: FakeSlack, web: WebClient, channel: str
) -> None:
    answer = web.chat_postEphemeral(channel=channel, user=ALICE, text="only you")
    assert [(e.user, e.text, e.ts) for e in fake.ephemerals(ALICE)] == [
        (ALICE, "only you", answer["message_ts"])
    ]
    assert fake.ephemerals(BOB) == [] and fake.messages(channel) == []
    lonely = fake.add_channel("lonely")
    assert error_of(lambda: web.chat_postEphemeral(channel=lonely.id, user=ALICE, text="x")) == (
        "user_not_in_channel"
    )
    assert error_of(lambda: web.chat_postEphemeral(channel=channel, user="U404", text="x")) == (
        "user_not_found"
    )


def test_update_changes_the_message_in_place(fake: FakeSlack, web: WebClient, channel: str) -> None:
    ts = web.chat_postMessage(channel=channel, text="pending", blocks=SECTION)["ts"]
    answer = web.chat_update(channel=channel, ts=ts, text="approved")
    assert answer["ts"] == ts and answer["message"]["text"] == "approved"
    message = fake.message(channel, ts)
    assert (message.text, message.blocks[0]["text"]["text"]) == ("approved", "*hello*")  # kept
    assert message.edited is not None
    web.chat_update(channel=channel, ts=ts, text="no blocks", blocks=[])
    assert fake.message(channel, ts).blocks == [] and len(fake.messages(channel)) == 1
    with pytest.warns(UserWarning, match="text"):
        answer = web.chat_update(channel=channel, ts=ts, blocks=SECTION)
    assert answer["warning"] == "missing_text" and fake.message(channel, ts).text == ""


def test_update_and_delete_errors(fake: FakeSlack, web: WebClient, channel: str) -> None:
    theirs = fake.post_as_user(ALICE, channel, "my own words")
    assert error_of(lambda: web.chat_update(channel=channel, ts="1.000001", text="x")) == (
        "message_not_found"
    )
    assert error_of(lambda: web.chat_update(channel=channel, ts=theirs.ts, text="x")) == (
        "cant_update_message"
    )
    assert error_of(lambda: web.chat_delete(channel=channel, ts=theirs.ts)) == "cant_delete_message"
    assert fake.message(channel, theirs.ts).text == "my own words"


def test_delete_removes_the_message(fake: FakeSlack, web: WebClient, channel: str) -> None:
    ts = web.chat_postMessage(channel=channel, text="oops")["ts"]
    assert web.chat_delete(channel=channel, ts=ts)["ts"] == ts
    assert fake.message(channel, ts) is None and fake.messages(channel) == []
    assert error_of(lambda: web.chat_delete(channel=channel, ts=ts)) == "message_not_found"


def test_permalink(fake: FakeSlack, web: WebClient, channel: str) -> None:
    ts = web.chat_postMessage(channel=channel, text="here")["ts"]
    link = web.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    assert link == f"https://perkbot-sandbox.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    missing = lambda: web.chat_getPermalink(channel=channel, message_ts="1.5")  # noqa: E731
    assert error_of(missing) == "message_not_found"


def test_conversations_open_and_info(fake: FakeSlack, web: WebClient, channel: str) -> None:
    opened = web.conversations_open(users=BOB)
    again = web.conversations_open(users=BOB, return_im=True)
    assert opened["channel"]["id"] == again["channel"]["id"] == fake.dm(BOB)
    assert again["already_open"] is True and again["channel"]["user"] == BOB
    group = web.conversations_open(users=[ALICE, BOB])["channel"]
    assert group["is_mpim"] is True and group["id"].startswith("G")
    info = web.conversations_info(channel=channel)["channel"]
    assert (info["name"], info["is_member"], info["is_im"]) == ("approvals", True, False)
    assert error_of(lambda: web.conversations_open(users="U404")) == "user_not_found"
    assert error_of(lambda: web.conversations_info(channel="C404")) == "channel_not_found"


def test_users_info_and_list(fake: FakeSlack, web: WebClient) -> None:
    alice = web.users_info(user=ALICE)["user"]
    assert (alice["tz"], alice["is_bot"]) == ("Europe/Paris", False)
    assert alice["tz_offset"] in (3600, 7200)
    assert error_of(lambda: web.users_info(user="U404")) == "user_not_found"
    seen, cursor = [], None
    while True:
        page = web.users_list(limit=2, cursor=cursor)
        seen += [m["id"] for m in page["members"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted([fake.team.bot_user_id, ALICE, BOB, CAROL])
