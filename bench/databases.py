"""Fresh migrated databases for benchmarks: SQLite files and PostgreSQL databases.

Each backend migrates (and seeds) a template once per seed, then hands every
measured run its own copy, so runs start from the same state and never see each
other's rows. PostgreSQL databases are named `bench_*` and dropped on close.
"""

import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from storage import migrate


@dataclass(frozen=True)
class Seed:
    """What a template holds besides the schema; `prepare` gets its URL once."""

    name: str
    prepare: Callable[[str], None]


class SqliteBackend:
    label = "SQLite"

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="perkbot-bench-"))
        self._templates: dict[str, Path] = {}

    def database(self, seed: Seed) -> str:
        if seed.name not in self._templates:
            self._templates[seed.name] = self._template(seed)
        target = self.folder / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self._templates[seed.name], target)
        return f"sqlite:///{target}"

    def _template(self, seed: Seed) -> Path:
        path = self.folder / f"template-{seed.name}.db"
        url = f"sqlite:///{path}"
        migrate.upgrade(url)
        seed.prepare(url)
        with sqlite3.connect(path) as conn:  # fold the WAL into the file before copying
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return path

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresBackend:
    label = "PostgreSQL"

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self._templates: dict[str, str] = {}
        self._created: list[str] = []

    def database(self, seed: Seed) -> str:
        if seed.name not in self._templates:
            self._templates[seed.name] = self._template(seed)
        name = self._create(f"bench_run_{uuid.uuid4().hex[:12]}", self._templates[seed.name])
        return self._url(name)

    def _template(self, seed: Seed) -> str:
        name = self._create(f"bench_tpl_{uuid.uuid4().hex[:10]}", None)
        migrate.upgrade(self._url(name))
        seed.prepare(self._url(name))
        return name

    def _create(self, name: str, template: str | None) -> str:
        suffix = f' TEMPLATE "{template}"' if template else ""
        self._exec(f'CREATE DATABASE "{name}"{suffix}')
        self._created.append(name)
        return name

    def _url(self, database: str) -> str:
        return self.admin_url.set(database=database).render_as_string(hide_password=False)

    def _exec(self, sql: str) -> None:
        url = self.admin_url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def close(self) -> None:
        for name in reversed(self._created):
            self._exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()


Backend = SqliteBackend | PostgresBackend
