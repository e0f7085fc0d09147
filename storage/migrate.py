"""Run Alembic from code: `perkbot db upgrade`, `perkbot run` and the tests use this.

Start-up checks the database's revision with one query first, and loads Alembic only
when there is something to apply (most starts have nothing to do).
"""

from typing import Any

from sqlalchemy import create_engine, inspect, text

from storage.db import normalize_url
from storage.revisions import MIGRATIONS, current_head

__all__ = ["MIGRATIONS", "alembic_config", "current_head", "database_revision", "upgrade"]


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # `%` is ConfigParser's interpolation marker; passwords may contain it.
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def database_revision(url: str) -> str | None:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    if revision == "head" and database_revision(url) == current_head():
        return
    from alembic import command

    command.upgrade(alembic_config(url), revision)
