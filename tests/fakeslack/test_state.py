import threading
import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient

from bot.fakeslack import Event, FakeSlack, ManualClock
from bot.fakeslack.httpd import Reply, Request
from tests.fakeslack.conftest import ALICE


def test_timestamps_are_unique_and_increasing_even_on_a_frozen_clock(clocked: FakeSlack) -> None:
    stamps = [clocked.state.next_ts() for _ in range(3)]
    assert stamps == ["1700000000.000000", "1700000000.000001", "1700000000.000002"]


def test_wait_for_wakes_on_a_change_from_another_thread(
    fake: FakeSlack, web: WebClient, channel: str
) -> None:
    timer = threading.Timer(0.05, lambda: web.chat_postMessage(channel=channel, text="later"))
    timer.start()
    message = fake.wait_for(lambda: fake.last_message(channel), timeout=5)
    timer.join()
    assert message.text == "later"
    call = fake.wait_for_call("chat.postMessage", where=lambda c: c.params["channel"] == channel)
    assert call.ok and call.team_id == "T0001" and call.token == fake.bot_token


def test_wait_for_gives_up_with_the_recent_events(fake: FakeSlack) -> None:
    with pytest.raises(TimeoutError, match=r"channel\.added"):
        fake.wait_for(lambda: False, timeout=0.05)


def test_wait_for_call_since_skips_earlier_calls(fake: FakeSlack, web: WebClient) -> None:
    web.auth_test()
    mark = len(fake.calls())
    threading.Timer(0.05, web.auth_test).start()
    call = fake.wait_for_call("auth.test", since=mark)
    assert len(fake.calls("auth.test")) == 2 and call is fake.calls()[mark]


def test_listeners_hear_every_change_in_order(
    fake: FakeSlack, web: WebClient, channel: str
) -> None:
    heard: list[Event] = []
    unsubscribe = fake.state.subscribe(heard.append)
    ts = web.chat_postMessage(channel=channel, text="a")["ts"]
    web.chat_update(channel=channel, ts=ts, text="b")
    unsubscribe()
    web.chat_delete(channel=channel, ts=ts)
    kinds = [e.kind for e in heard]
    assert kinds == ["message.posted", "api.call", "message.updated", "api.call"]
    assert [e.seq for e in heard] == sorted(e.seq for e in heard)
    assert heard[0].data == {"channel": channel, "ts": ts}
    assert fake.state.events()[-2].kind == "message.deleted"


def test_events_after_long_polls_for_new_events(fake: FakeSlack, web: WebClient) -> None:
    last = fake.state.events()[-1].seq
    assert fake.state.events_after(last, timeout=0.01) == []
    threading.Timer(0.05, lambda: web.chat_postMessage(channel=ALICE, text="x")).start()
    assert fake.state.events_after(last, timeout=5)[0].kind == "channel.added"  # the new DM


def test_readers_get_copies_so_a_stale_copy_stays_stale(
    fake: FakeSlack, web: WebClient, channel: str
) -> None:
    ts = web.chat_postMessage(channel=channel, text="before")["ts"]
    stale = fake.message(channel, ts)
    web.chat_update(channel=channel, ts=ts, text="after")
    stale.text = "edited by the test"
    assert fake.message(channel, ts).text == "after"


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(100.0)
    assert (clock(), clock.advance(2.5), clock()) == (100.0, 102.5, 102.5)


def test_extra_routes_share_the_port_and_unknown_paths_are_404(fake: FakeSlack) -> None:
    def page(request: Request) -> Reply:
        return Reply.text(f"sandbox {request.path} {request.query.get('as', '')}")

    fake.add_route("GET", "/sandbox", page)
    with urllib.request.urlopen(f"{fake.url}sandbox/home?as={ALICE}", timeout=5) as answer:
        assert answer.read().decode() == f"sandbox /sandbox/home {ALICE}"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{fake.url}nothing", timeout=5)
    assert caught.value.code == 404
