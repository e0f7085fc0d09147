from collections.abc import Iterator

import pytest

from bot.fakeslack.server import FakeSlack
from tests.bot.harness import PerkbotProcess, Workspace


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def ws(fake: FakeSlack, db_url: str) -> Iterator[Workspace]:
    bot = PerkbotProcess(fake, db_url)
    try:
        yield Workspace(fake, bot)
    finally:
        bot.stop()
