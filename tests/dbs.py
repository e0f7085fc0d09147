"""Throwaway migrated databases for tests: SQLite files, and PostgreSQL when configured.

Migrations run once per test session into a template; each test gets a copy
(a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL).
"""

import os
import shutil
import sqlite3
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from storage import migrate

PG_ENV = "PERKBOT_TEST_DATABASE_URL"


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(PG_ENV) else ["sqlite"]


class SqliteTemplate:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.db"
        migrate.upgrade(f"sqlite:///{self.path}")
        with sqlite3.connect(self.path) as conn:  # fold the WAL into the file before copying
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def new(self, folder: Path) -> str:
        target = folder / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        pass


class PostgresTemplate:
    def __init__(self) -> None:
        self.admin_url = make_url(os.environ[PG_ENV])
        self.template = f"perkbot_tpl_{uuid.uuid4().hex[:10]}"
        self._exec(f'CREATE DATABASE "{self.template}"')
        migrate.upgrade(self._url(self.template))

    def _url(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def _exec(self, sql: str) -> None:
        url = self.admin_url.set(drivername="postgresql")
        with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
            conn.execute(sql)

    def new(self, _folder: Path) -> str:
        name = f"perkbot_t_{uuid.uuid4().hex[:12]}"
        self._exec(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self._url(name)

    def drop(self, url: str) -> None:
        self._exec(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        self.drop(self._url(self.template))
