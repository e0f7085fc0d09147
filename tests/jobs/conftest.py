from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest

from bot.delivery import Pacer
from bot.fakeslack.server import FakeSlack
from bot.jobs import Jobs
from bot.settings import load_settings
from bot.tokens import web_client
from perks.context import Ctx
from storage.repositories import members, workspaces
from tests.conftest import ADMIN, NOW, TEAM
from tests.usecases.helpers import MANAGER, REP


@dataclass
class Env:
    ctx: Ctx
    fake: FakeSlack
    jobs: Jobs

    def run(self, name: str, now: datetime) -> str:
        return self.jobs.run(name, now)

    def dms(self, user: str) -> list:  # type: ignore[type-arg]
        return self.fake.messages(self.fake.dm(user))

    def set_tz(self, user: str, tz: str) -> None:
        """The rep's timezone in their Slack profile (and already cached by Perkbot)."""
        self.fake.state.users[user].tz = tz
        with self.ctx.db.session_scope() as s:
            workspaces.ensure(session=s, team_id=TEAM, now=NOW)
            members.ensure(session=s, team_id=TEAM, user_id=user).timezone = tz


@pytest.fixture
def env(ctx: Ctx) -> Iterator[Env]:
    with FakeSlack(team_id=TEAM) as fake:
        for user in (ADMIN, MANAGER, REP, "UMGR0002"):
            fake.add_user(user)
        settings = load_settings(slack_bot_token=fake.bot_token, slack_api_url=fake.api_url)
        client = web_client(settings)
        yield Env(ctx, fake, Jobs(ctx, client_for=lambda _team: client, pacer=Pacer(gap=0.0)))
