import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.fakeslack import FakeSlack, ManualClock

QUICK = FixedValueRetryIntervalCalculator(0.01)


def client(fake: FakeSlack, *handlers: object) -> WebClient:
    return WebClient(
        token=fake.bot_token, base_url=fake.api_url, timeout=5, retry_handlers=list(handlers)
    )


def test_429_with_retry_after_then_success(fake: FakeSlack, channel: str) -> None:
    fake.fail_next("chat.postMessage", 429, retry_after=1)
    web = client(fake, RateLimitErrorRetryHandler(max_retry_count=2))
    started = time.monotonic()
    assert web.chat_postMessage(channel=channel, text="hello")["ok"]
    assert time.monotonic() - started >= 1.0  # the SDK honoured Retry-After
    calls = fake.calls("chat.postMessage")
    assert [(c.status, c.error) for c in calls] == [(429, "ratelimited"), (200, None)]
    assert calls[0].headers["Retry-After"] == "1"
    assert [m.text for m in fake.messages(channel)] == ["hello"]


def test_500_then_success(fake: FakeSlack, channel: str) -> None:
    fake.fail_next("chat.postMessage", 500)
    web = client(fake, ServerErrorRetryHandler(max_retry_count=2, interval_calculator=QUICK))
    assert web.chat_postMessage(channel=channel, text="hello")["ok"]
    assert [c.status for c in fake.calls("chat.postMessage")] == [500, 200]
    assert len(fake.messages(channel)) == 1


def test_faults_queue_up_and_errors_are_not_retried(fake: FakeSlack, channel: str) -> None:
    fake.fail_next("chat.postMessage", 503, times=2)
    fake.fail_next("chat.postMessage", error="channel_not_found")
    web = client(fake, ServerErrorRetryHandler(max_retry_count=5, interval_calculator=QUICK))
    with pytest.raises(SlackApiError) as caught:
        web.chat_postMessage(channel=channel, text="hello")
    assert caught.value.response["error"] == "channel_not_found"
    assert [c.status for c in fake.calls("chat.postMessage")] == [503, 503, 200]
    assert fake.messages(channel) == []
    assert web.chat_postMessage(channel=channel, text="now")["ok"]  # the queue is used up


def test_faults_only_hit_their_method(fake: FakeSlack, web: WebClient, channel: str) -> None:
    fake.fail_next("views.open", error="expired_trigger_id")
    assert web.chat_postMessage(channel=channel, text="fine")["ok"]
    assert fake.faults.take_fault("views.open") is not None


def test_a_dropped_connection_is_retried(fake: FakeSlack, channel: str) -> None:
    fake.fail_next("chat.postMessage", drop=True)
    web = client(fake, ConnectionErrorRetryHandler(max_retry_count=1, interval_calculator=QUICK))
    assert web.chat_postMessage(channel=channel, text="hello")["ok"]
    assert [c.status for c in fake.calls("chat.postMessage")] == [0, 200]


def test_delay_answers_late_only_for_its_method(
    fake: FakeSlack, web: WebClient, channel: str
) -> None:
    fake.delay("chat.postMessage", 0.4, times=1)
    started = time.monotonic()
    web.auth_test()
    assert time.monotonic() - started < 0.3
    web.chat_postMessage(channel=channel, text="slow")
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    web.chat_postMessage(channel=channel, text="fast again")
    assert time.monotonic() - started < 0.3


def test_a_delay_does_not_hold_up_stop() -> None:
    fake = FakeSlack().start()
    fake.add_channel("c", channel_id="C1")
    fake.delay(None, 30)
    web = WebClient(token=fake.bot_token, base_url=fake.api_url, timeout=0.3)
    with pytest.raises(TimeoutError):
        web.chat_postMessage(channel="C1", text="never")
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 2


def test_per_channel_rate_limit(clocked: FakeSlack, clock: ManualClock) -> None:
    clocked.rate_limit(per_second=1)
    web = client(clocked)
    other = clocked.add_channel("other")
    approvals = next(c for c in clocked.state.channels.values() if c.name == "approvals")
    assert web.chat_postMessage(channel=approvals.id, text="1")["ok"]
    assert web.chat_postMessage(channel=other.id, text="other channel")["ok"]
    with pytest.raises(SlackApiError) as caught:
        web.chat_postMessage(channel=approvals.id, text="2")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == "1"
    clock.advance(1.0)
    assert web.chat_postMessage(channel=approvals.id, text="2")["ok"]
    assert [m.text for m in clocked.messages(approvals.id)] == ["1", "2"]
