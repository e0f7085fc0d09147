"""The tables of the OAuth install: installations, bots and OAuth states.

Column for column the shapes of slack_sdk's SQLAlchemy stores (`build_installations_table`,
`build_bots_table`, `build_oauth_states_table`; a test compares them), spelled out here
because storage/ never imports Slack code. They sit on the same metadata as the rest so
Alembic (migration 0005) owns them and the drift test covers them. The stores keep
datetimes naive, in UTC.
"""

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Table, func
from sqlmodel import SQLModel

INSTALLATIONS, BOTS, OAUTH_STATES = "slack_installations", "slack_bots", "slack_oauth_states"
_ID, _NAME, _SCOPES = String(32), String(200), String(1000)


def _team_columns() -> list[Column]:  # type: ignore[type-arg]
    """Who installed the app where, shared by installations and bots."""
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", _ID, nullable=False),
        Column("app_id", _ID, nullable=False),
        Column("enterprise_id", _ID),
        Column("enterprise_name", _NAME),
    ]


def _bot_columns() -> list[Column]:  # type: ignore[type-arg]
    return [
        Column("bot_token", _NAME),
        Column("bot_id", _ID),
        Column("bot_user_id", _ID),
        Column("bot_scopes", _SCOPES),
        Column("bot_refresh_token", _NAME),
        Column("bot_token_expires_at", DateTime),
    ]


def _installed_at() -> Column:  # type: ignore[type-arg]
    return Column("installed_at", DateTime, nullable=False, default=func.current_timestamp())


slack_installations = Table(
    INSTALLATIONS,
    SQLModel.metadata,
    *_team_columns(),
    Column("enterprise_url", _NAME),
    Column("team_id", _ID),
    Column("team_name", _NAME),
    *_bot_columns(),
    Column("user_id", _ID, nullable=False),
    Column("user_token", _NAME),
    Column("user_scopes", _SCOPES),
    Column("user_refresh_token", _NAME),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", _NAME),
    Column("incoming_webhook_channel", _NAME),
    Column("incoming_webhook_channel_id", _NAME),
    Column("incoming_webhook_configuration_url", _NAME),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", _ID),
    _installed_at(),
    Index(
        f"{INSTALLATIONS}_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"
    ),
)

slack_bots = Table(
    BOTS,
    SQLModel.metadata,
    *_team_columns(),
    Column("team_id", _ID),
    Column("team_name", _NAME),
    *_bot_columns(),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    _installed_at(),
    Index(f"{BOTS}_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    OAUTH_STATES,
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
