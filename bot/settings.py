"""Configuration from the environment and `.env` (SPEC §4). Built once, in the CLI."""

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
# SQLAlchemy's URL form, checked without loading SQLAlchemy (`perkbot run` answers first).
_DATABASE_URL = re.compile(r"(?P<backend>[A-Za-z][A-Za-z0-9]*)(?:\+\w+)?://.*")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = "sqlite:///perkbot.db"
    perkbot_admins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    perkbot_catalog: Path | None = None
    perkbot_scheduler: Literal["on", "off"] = "on"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and not v.get_secret_value().startswith("xoxb-"):
            raise ValueError("expected a bot token starting with xoxb-")
        return v

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and not v.get_secret_value().startswith("xapp-"):
            raise ValueError("expected an app-level token starting with xapp-")
        return v

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^\s/]+", v):
            raise ValueError("expected an http(s) URL such as https://slack.com/api/")
        return v if v.endswith("/") else v + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, v: str) -> str:
        match = _DATABASE_URL.fullmatch(v)
        if not match:
            raise ValueError("expected an SQLAlchemy URL such as sqlite:///perkbot.db")
        if match["backend"] not in ("sqlite", "postgresql"):
            raise ValueError("expected a sqlite:/// or postgresql:// URL")
        return v

    @field_validator("perkbot_admins", mode="before")
    @classmethod
    def _admins(cls, v: object) -> list[str]:
        items = [s.strip() for s in v.split(",")] if isinstance(v, str) else list(v or [])  # type: ignore[call-overload]
        items = [s for s in items if s]
        bad = [s for s in items if not _USER_ID.match(s)]
        if bad:
            raise ValueError(
                f"expected comma-separated Slack user IDs like U012AB3CD, got {bad[0]!r}"
            )
        return items

    @field_validator("perkbot_catalog")
    @classmethod
    def _catalog(cls, v: Path | None) -> Path | None:
        if v is not None and not v.is_file():
            raise ValueError(f"expected the path of a catalog TOML file; {v} does not exist")
        return v

    @field_validator("perkbot_scheduler", "log_format", mode="before")
    @classmethod
    def _lower(cls, v: object) -> object:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, v: object) -> object:
        return v.strip().upper() if isinstance(v, str) else v

    @property
    def scheduler_on(self) -> bool:
        return self.perkbot_scheduler == "on"

    @property
    def oauth(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    def missing_for_run(self) -> str | None:
        """Which variables `perkbot run` still needs, as one sentence, or None."""
        if self.oauth:
            return None if self.slack_signing_secret else "set SLACK_SIGNING_SECRET (OAuth install)"
        if self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token):
            return None
        return (
            "set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or with "
            "SLACK_SIGNING_SECRET (HTTP mode); or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET "
            "and SLACK_SIGNING_SECRET for an OAuth install"
        )


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None


def _one_line(exc: ValidationError) -> str:
    err = exc.errors()[0]
    name = str(err["loc"][0]).upper() if err["loc"] else "settings"
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "literal_error":
        message = message.replace("Input should be", "expected")
    return f"{name}: {message}"
