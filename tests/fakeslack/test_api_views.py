import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack, ManualClock
from tests.fakeslack.conftest import ALICE, BOB


def modal(title: str = "Log a life event", **extra: object) -> dict:
    return {
        "type": "modal",
        "callback_id": "log_event",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "customer",
                "label": {"type": "plain_text", "text": "Customer"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
        **extra,
    }


HOME = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]}


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value.response["error"]


def test_views_open_shows_the_modal_to_the_triggering_user(fake: FakeSlack, web: WebClient) -> None:
    answer = web.views_open(trigger_id=fake.new_trigger_id(ALICE), view=modal())
    view = fake.modal(ALICE)
    assert view is not None and answer["view"]["id"] == view.id and view.id.startswith("V")
    assert (view.callback_id, view.user_id, answer["view"]["hash"]) == (
        "log_event",
        ALICE,
        view.hash,
    )
    assert fake.modal(BOB) is None


def test_trigger_ids_are_checked(fake: FakeSlack, web: WebClient) -> None:
    assert error_of(lambda: web.views_open(trigger_id="1.2.nope", view=modal())) == (
        "invalid_trigger_id"
    )
    trigger = fake.new_trigger_id(ALICE)
    web.views_open(trigger_id=trigger, view=modal())
    assert error_of(lambda: web.views_open(trigger_id=trigger, view=modal())) == (
        "exchanged_trigger_id"
    )


def test_trigger_expires_after_three_seconds(clocked: FakeSlack, clock: ManualClock) -> None:
    web = WebClient(token=clocked.bot_token, base_url=clocked.api_url)
    fresh, stale = clocked.new_trigger_id(ALICE), clocked.new_trigger_id(BOB)
    clock.advance(2.9)
    assert web.views_open(trigger_id=fresh, view=modal())["ok"]
    clock.advance(0.2)
    assert error_of(lambda: web.views_open(trigger_id=stale, view=modal())) == "expired_trigger_id"
    assert clocked.modal(BOB) is None


def test_a_bad_view_is_refused_with_messages_and_keeps_the_trigger(
    fake: FakeSlack, web: WebClient
) -> None:
    trigger = fake.new_trigger_id(ALICE)
    with pytest.raises(SlackApiError) as caught:
        web.views_open(trigger_id=trigger, view=modal(title="A title far too long for Slack"))
    answer = caught.value.response
    assert answer["error"] == "invalid_arguments"
    assert any("/view/title" in m for m in answer["response_metadata"]["messages"])
    assert web.views_open(trigger_id=trigger, view=modal())["ok"]


def test_push_stacks_up_to_three_modals(fake: FakeSlack, web: WebClient) -> None:
    first = web.views_open(trigger_id=fake.new_trigger_id(ALICE), view=modal())["view"]
    for _ in range(2):
        pushed = web.views_push(trigger_id=fake.new_trigger_id(ALICE), view=modal("Reject perk"))
        assert pushed["view"]["root_view_id"] == first["id"]
    push = lambda: web.views_push(trigger_id=fake.new_trigger_id(ALICE), view=modal())  # noqa: E731
    assert error_of(push) == "push_limit_reached"
    stack = fake.modal_stack(ALICE)
    assert (len(stack), stack[0].id, stack[2].previous_view_id) == (3, first["id"], stack[1].id)


def test_update_by_id_or_external_id_with_hash_checks(fake: FakeSlack, web: WebClient) -> None:
    opened = web.views_open(
        trigger_id=fake.new_trigger_id(ALICE), view=modal("Loading…", external_id="ext-1")
    )["view"]
    updated = web.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Ready"))
    assert updated["view"]["id"] == opened["id"] and updated["view"]["hash"] != opened["hash"]
    assert fake.modal(ALICE).body["title"]["text"] == "Ready"
    stale = lambda: web.views_update(view_id=opened["id"], hash=opened["hash"], view=modal())  # noqa: E731
    assert error_of(stale) == "hash_conflict"
    by_external = web.views_update(external_id="ext-1", view=modal("Again"))
    assert by_external["view"]["id"] == opened["id"]
    assert error_of(lambda: web.views_update(view_id="V404", view=modal())) == "not_found"


def test_publish_keeps_one_home_tab_per_user(fake: FakeSlack, web: WebClient) -> None:
    first = web.views_publish(user_id=ALICE, view=HOME)["view"]
    second = web.views_publish(user_id=ALICE, view=HOME, hash=first["hash"])["view"]
    assert second["id"] == first["id"] == fake.home(ALICE).id and fake.home(BOB) is None
    assert error_of(lambda: web.views_publish(user_id=ALICE, view=HOME, hash=first["hash"])) == (
        "hash_conflict"
    )
    assert error_of(lambda: web.views_publish(user_id=ALICE, view=modal())) == "invalid_arguments"
    assert error_of(lambda: web.views_publish(user_id="U404", view=HOME)) == "user_not_found"
