"""Does the database answer, and at which migration? Asked through the driver alone.

`perkbot run --http` answers GET /healthz with this while the rest of Perkbot (SQLAlchemy
included) is still loading behind the server; afterwards the engine's pool answers.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote

CONNECT_TIMEOUT_S = 3
# A row when Alembic's table exists (asking it directly would fail the transaction).
_HAS_VERSIONS = {
    "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'",
    "postgresql": "SELECT 1 WHERE to_regclass('alembic_version') IS NOT NULL",
}


def load_driver(url: str) -> None:
    """Imports PostgreSQL's driver (~0.2 s of CPU) now, not in the first /healthz, where
    it would share the CPU with everything else loading."""
    if not _is_sqlite(url):
        import psycopg  # noqa: F401


def revision(url: str) -> str | None:
    """The migration the database is at (None before the first); raises if the database
    does not answer."""
    has_versions = _HAS_VERSIONS["sqlite" if _is_sqlite(url) else "postgresql"]
    with _connected(url) as conn:
        if conn.execute(has_versions).fetchone() is None:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def _is_sqlite(url: str) -> bool:
    return url.partition("://")[0].split("+")[0] == "sqlite"


@contextmanager
def _connected(url: str) -> Iterator[Any]:
    if _is_sqlite(url):
        with closing(_sqlite(url.partition("://")[2])) as conn:
            yield conn
        return
    import psycopg  # only a PostgreSQL deployment needs the driver

    # libpq reads the same URL once SQLAlchemy's "+driver" part is gone.
    libpq_url = "postgresql" + url[url.index("://") :]
    with psycopg.connect(libpq_url, connect_timeout=CONNECT_TIMEOUT_S) as conn:
        yield conn


def _sqlite(rest: str) -> sqlite3.Connection:
    """`rest`: what follows sqlite://, i.e. "/relative.db", "//absolute.db" or "/:memory:"."""
    path = unquote(rest.split("?")[0].removeprefix("/"))
    if path in ("", ":memory:"):
        return sqlite3.connect(":memory:")  # lives in the process: nothing to reach
    # mode=rw: a missing file is an error, not a new empty database. as_uri escapes the
    # characters (#, ?, %) that a file: URI would read as its own syntax.
    uri = Path(path).absolute().as_uri() + "?mode=rw"
    return sqlite3.connect(uri, uri=True, timeout=CONNECT_TIMEOUT_S)
