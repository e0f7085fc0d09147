"""OAuth multi-workspace install (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set).

`/slack/install` and `/slack/oauth_redirect` are Bolt's OAuth flow; installations and
OAuth states live in Perkbot's database (slack_sdk's SQLAlchemy stores, migration 0005).
Each request is authorized from its workspace's stored bot, with no `auth.test` call:
the ids it would return were saved at install time (RELIABILITY 4).
"""

from typing import Any

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.oauth.oauth_settings import OAuthSettings

from bot.manifest import INSTALL_PATH, REDIRECT_PATH, SCOPES
from bot.settings import Settings
from bot.tokens import ROTATE_MINUTES_BEFORE_EXPIRY, TeamTokens
from storage import slack_tables
from storage.db import Database

STATE_EXPIRY_S = 600  # the install link works for 10 minutes


class StoredBotAuthorize(Authorize):
    """The workspace's current bot token, or None if the app is not installed there.
    Runs before the ack: a token near expiry is refreshed in the background, unless it is
    about to die."""

    def __init__(self, tokens: TeamTokens) -> None:
        self.tokens = tokens

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_actor: Any,
    ) -> AuthorizeResult | None:
        bot = self.tokens.bot(team_id, enterprise_id, before_ack=True)
        if bot is None:
            return None
        return AuthorizeResult(
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
            user_id=user_id,
        )


def app_options(settings: Settings, db: Database) -> dict[str, Any]:
    """What `App(...)` needs for the OAuth install."""
    # Imported here: it loads SQLAlchemy's asyncio part, which a single workspace never needs.
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    tokens = TeamTokens(settings, db.engine)
    secret = settings.slack_client_secret
    oauth_settings = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        scopes=sorted(SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=tokens.store,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        state_store=SQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_EXPIRY_S,
            engine=db.engine,
            table_name=slack_tables.OAUTH_STATES,
        ),
    )
    return {
        "oauth_settings": oauth_settings,
        "authorize": StoredBotAuthorize(tokens),
        "installation_store": tokens.store,
        "installation_store_bot_only": True,
    }
