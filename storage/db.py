"""Engine, sessions and the unit of work.

SQLite: WAL, a busy timeout, foreign keys on, and SQLAlchemy's explicit-BEGIN
recipe so that write transactions start with BEGIN IMMEDIATE (they take the
write lock up front instead of failing to upgrade a read lock half-way).
PostgreSQL: psycopg 3; writers serialise per team on the workspace row
(`SELECT … FOR UPDATE`), and transient conflicts are retried a bounded number
of times.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session

log = logging.getLogger(__name__)

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 5000
_RETRYABLE_PG_CODES = {"40001", "40P01"}  # serialization failure, deadlock
_UNIQUE_VIOLATION = "23505"
_WRITE_OPTION = "perkbot_write"


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def build_engine(url: str) -> Engine:
    url = normalize_url(url)
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _is_retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    if code in _RETRYABLE_PG_CODES or code == _UNIQUE_VIOLATION:
        return True
    # SQLite: a lock that outlived the busy timeout.
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


class Database:
    """Owns the engine; hands out one session per unit of work."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = normalize_url(url)
        self.engine = engine or build_engine(self.url)
        self.is_sqlite = is_sqlite(self.url)
        self._write_engine = self.engine.execution_options(**{_WRITE_OPTION: True})

    @contextmanager
    def session_scope(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any error."""
        bind = self._write_engine if write else self.engine
        session = Session(bind=bind, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def run(self, work: Callable[[Session], T], *, write: bool = True, attempts: int = 4) -> T:
        """Run `work` in one transaction, retrying a few times on transient conflicts.

        A unique violation is retried too: it means a concurrent writer created the
        same customer or submission first, and the retry will find its row.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.session_scope(write=write) as session:
                    return work(session)
            except (OperationalError, IntegrityError) as exc:
                if attempt == attempts or not _is_retryable(exc):
                    raise
                log.info("retrying transaction after %s (attempt %d)", type(exc).__name__, attempt)
                time.sleep(0.01 * 2**attempt)
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()
