"""Web API clients and the bot token of each workspace.

Single-workspace: SLACK_BOT_TOKEN. OAuth install: the installation store, read on every
use (never a token cached at start-up) and rotated through `oauth.v2.access` when the
token is about to expire (RELIABILITY 27).
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.settings import Settings

if TYPE_CHECKING:  # imported when used: `perkbot run` answers Slack before SQLAlchemy loads
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from sqlalchemy import Engine

log = logging.getLogger("perkbot")
# Refresh a rotating token when it has less than this left (Bolt's default).
ROTATE_MINUTES_BEFORE_EXPIRY = 120
# Closer than this to expiry, a request waits for the refresh instead of using the token.
MUST_REFRESH_S = 120


def web_client(settings: Settings) -> WebClient:
    """The Web API client with SLACK_BOT_TOKEN (if set)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return client_with_token(settings, token)


def client_with_token(settings: Settings, token: str | None) -> WebClient:
    """A Web API client: SLACK_API_URL, retries on 429 / 5xx / connection errors."""
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def installation_store(settings: Settings, engine: "Engine") -> "SQLAlchemyInstallationStore":
    """slack_sdk's store on Perkbot's database (tables from migration 0005)."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    from storage import slack_tables

    return SQLAlchemyInstallationStore(
        client_id=settings.slack_client_id or "",
        engine=engine,
        bots_table_name=slack_tables.BOTS,
        installations_table_name=slack_tables.INSTALLATIONS,
    )


class TeamTokens:
    """The current bot of each installed workspace, refreshed when it expires soon."""

    def __init__(self, settings: Settings, engine: "Engine") -> None:
        self.store = installation_store(settings, engine)
        secret = settings.slack_client_secret
        self.rotator = TokenRotator(
            client_id=settings.slack_client_id or "",
            client_secret=secret.get_secret_value() if secret else "",
            client=client_with_token(settings, None),  # oauth.v2.access: client id + secret
        )
        self._rotating = threading.Lock()  # one refresh at a time in this process
        self._later: set[tuple[str | None, str | None]] = set()  # refreshes under way

    def bot(
        self, team_id: str | None, enterprise_id: str | None = None, *, before_ack: bool = False
    ) -> Bot | None:
        """The workspace's bot, its token refreshed first if it expires within 2 hours.
        `before_ack`: wait for the refresh only if the token is nearly dead; otherwise use
        it as it is and refresh in the background (no Web API call before an ack)."""
        bot = self.store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None or bot.bot_refresh_token is None or bot.bot_token_expires_at is None:
            return bot
        left = bot.bot_token_expires_at - time.time()
        if left > ROTATE_MINUTES_BEFORE_EXPIRY * 60:
            return bot
        if before_ack and left > MUST_REFRESH_S:
            self._refresh_later(team_id, enterprise_id)
            return bot
        return self._refreshed(team_id, enterprise_id)

    def _refreshed(self, team_id: str | None, enterprise_id: str | None) -> Bot | None:
        with self._rotating:
            # Read again: another thread may have refreshed it while this one waited.
            bot = self.store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
            if bot is None:
                return None
            try:
                fresh = self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
                )
            except SlackTokenRotationError as exc:
                log.error("team %s: the bot token could not be refreshed: %s", team_id, exc)
                return bot  # still valid until it expires; Slack says so if not
            if fresh is None:
                return bot
            self.store.save_bot(fresh)
            log.info("team %s: bot token refreshed", team_id)
            return fresh

    def _refresh_later(self, team_id: str | None, enterprise_id: str | None) -> None:
        key = (enterprise_id, team_id)
        with self._rotating:
            if key in self._later:
                return
            self._later.add(key)

        def run() -> None:
            try:
                self._refreshed(team_id, enterprise_id)
            finally:
                with self._rotating:
                    self._later.discard(key)

        threading.Thread(target=run, name=f"refresh-{team_id}", daemon=True).start()


def job_clients(settings: Settings, engine: "Engine") -> Callable[[str], WebClient]:
    """`client_for(team_id)` for the jobs: the static token, or the team's current one."""
    if not settings.oauth:
        client = web_client(settings)
        return lambda _team: client
    tokens = TeamTokens(settings, engine)

    def client_for(team_id: str) -> WebClient:
        bot = tokens.bot(team_id)
        if bot is None:  # uninstalled: Slack answers not_authed and the delivery fails for good
            log.warning("team %s: no installation; its deliveries will fail", team_id)
        return client_with_token(settings, bot.bot_token if bot else None)

    return client_for
