from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.fakeslack import Channel, FakeSlack, ManualClock, SlackClient
from tests.fakeslack.app_stub import SECRET, AppStub

ALICE, BOB, CAROL = "U0ALICE", "U0BOB", "U0CAROL"


def populate(fake: FakeSlack) -> Channel:
    fake.add_user(ALICE, "alice", tz="Europe/Paris")
    fake.add_user(BOB, "bob", tz="America/New_York")
    fake.add_user(CAROL, "carol", deleted=True)
    return fake.add_channel("approvals", members=[ALICE, BOB])


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as started:
        populate(started)
        yield started


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(1_700_000_000.0)


@pytest.fixture
def clocked(clock: ManualClock) -> Iterator[FakeSlack]:
    """A fake whose time only moves when the test moves `clock`."""
    with FakeSlack(clock=clock) as started:
        populate(started)
        yield started


@pytest.fixture
def channel(fake: FakeSlack) -> str:
    return next(c for c in fake.state.channels.values() if c.name == "approvals").id


@pytest.fixture
def web(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.bot_token, base_url=fake.api_url, timeout=5)


@pytest.fixture
def app() -> Iterator[AppStub]:
    stub = AppStub()
    yield stub
    stub.close()


@pytest.fixture
def slack(app: AppStub, fake: FakeSlack) -> SlackClient:
    return SlackClient(app.url, SECRET, fake)
