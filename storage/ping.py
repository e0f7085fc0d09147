"""Does the database answer? Asked through the driver alone, without SQLAlchemy.

`perkbot run --http` answers GET /healthz with this while the rest of Perkbot (SQLAlchemy
included) is still loading behind the server; afterwards the engine's pool answers.
"""

import sqlite3
from urllib.parse import unquote, urlsplit

CONNECT_TIMEOUT_S = 3


def load_driver(url: str) -> None:
    """Imports PostgreSQL's driver (~0.2 s of CPU) now, not in the first /healthz, where
    it would share the CPU with everything else loading."""
    if not _is_sqlite(url):
        import psycopg  # noqa: F401


def ping(url: str) -> None:
    """Runs SELECT 1 on a connection of its own; raises if the database does not answer."""
    if _is_sqlite(url):
        _ping_sqlite(url.partition("://")[2])
    else:
        _ping_postgresql(url)


def _is_sqlite(url: str) -> bool:
    return url.partition("://")[0].split("+")[0] == "sqlite"


def _ping_sqlite(rest: str) -> None:
    path = unquote(rest.split("?")[0].removeprefix("/"))
    if path in ("", ":memory:"):
        return  # an in-memory database lives in the process: nothing to reach
    # mode=rw: a missing file is an error, not a new empty database.
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=CONNECT_TIMEOUT_S)
    try:
        conn.execute("SELECT 1").fetchone()
    finally:
        conn.close()


def _ping_postgresql(url: str) -> None:
    import psycopg  # only a PostgreSQL deployment needs the driver

    parts = urlsplit(url)
    libpq_url = parts._replace(scheme="postgresql").geturl()  # drops SQLAlchemy's "+psycopg"
    with psycopg.connect(libpq_url, connect_timeout=CONNECT_TIMEOUT_S) as conn:
        conn.execute("SELECT 1").fetchone()
