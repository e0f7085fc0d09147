import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from perks.catalog import Catalog, load_catalog
from perks.context import Actor, Ctx
from storage.db import Database
from tests.dbs import PG_ENV, PostgresTemplate, SqliteTemplate, backends

TEAM = "T0001"
ADMIN = "UADMIN01"
NOW = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)  # a Monday afternoon


def pytest_report_header() -> str:
    return f"perkbot test databases: {', '.join(backends())}"


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    made: dict[str, object] = {"sqlite": SqliteTemplate(tmp_path_factory.mktemp("tpl"))}
    if os.environ.get(PG_ENV):
        made["postgresql"] = PostgresTemplate()
    yield made
    if "postgresql" in made:
        made["postgresql"].close()  # type: ignore[attr-defined]


@pytest.fixture(params=backends())
def db_url(request: pytest.FixtureRequest, templates: dict, tmp_path: Path) -> Iterator[str]:
    template = templates[request.param]
    url = template.new(tmp_path)
    yield url
    template.drop(url)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(None)


@pytest.fixture
def ctx(db: Database, catalog: Catalog) -> Ctx:
    return Ctx(db=db, catalog=catalog, admins=frozenset({ADMIN}))


def actor(user_id: str, team_id: str = TEAM) -> Actor:
    return Actor(team_id, user_id)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran on each database, so a CI log shows PostgreSQL really ran."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        for backend in ("sqlite", "postgresql"):
            if f"[{backend}" in report.nodeid or f"-{backend}]" in report.nodeid:
                counts[backend] = counts.get(backend, 0) + 1
    summary = ", ".join(f"{name}: {n}" for name, n in sorted(counts.items()))
    terminalreporter.write_line(f"database-backed tests run per database: {summary or 'none'}")
