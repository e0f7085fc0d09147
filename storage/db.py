"""Engine, sessions and the unit of work.

SQLite: WAL, a busy timeout, foreign keys on, and SQLAlchemy's explicit-BEGIN
recipe so that write transactions start with BEGIN IMMEDIATE (they take the
write lock up front instead of failing to upgrade a read lock half-way). SQLite
runs one writer at a time anyway, so the write sessions of one process also queue
on an in-process first-come-first-served lock: threads wait their turn instead of
sleeping in SQLite's busy handler; other processes still meet BEGIN IMMEDIATE and
the busy timeout.
PostgreSQL: psycopg 3; writers serialise per team on the workspace row
(`SELECT … FOR UPDATE`), and transient conflicts are retried a bounded number
of times.
"""

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Mapper, configure_mappers
from sqlmodel import Session, SQLModel

from storage.sqlite_lock import sqlite_file, sqlite_write_lock

log = logging.getLogger(__name__)

T = TypeVar("T")
M = TypeVar("M", bound=SQLModel)

SQLITE_BUSY_TIMEOUT_MS = 5000
# Threads of one process share the pool; enough connections that none waits for one.
SQLITE_POOL_SIZE = 32
PG_POOL_RECYCLE_S = 1800  # instead of a ping per checkout; a dropped connection is retried
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


class DatabaseBusy(Exception):
    """The database stayed locked longer than this caller may wait (e.g. before an ack)."""


def build_engine(url: str, *, wait_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    url = normalize_url(url)
    if is_sqlite(url):
        pool: dict[str, Any] = {}
        if sqlite_file(url):  # in-memory databases keep SQLAlchemy's one-connection pool
            pool = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": SQLITE_POOL_SIZE}
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **pool
        )
        _configure_sqlite(engine, wait_ms)
        return engine
    return create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_recycle=PG_POOL_RECYCLE_S,
        pool_use_lifo=True,
        connect_args={"options": f"-c lock_timeout={wait_ms}"},
    )


def _configure_sqlite(engine: Engine, wait_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={wait_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(_WRITE_OPTION, False)
        # Straight to the driver: this runs once per transaction.
        conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")


def _is_retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    if code in _RETRYABLE_PG_CODES or code == _UNIQUE_VIOLATION:
        return True
    # SQLite: a lock that outlived the busy timeout.
    return _is_lock_timeout(exc)


def _is_lock_timeout(exc: Exception) -> bool:
    """SQLite's busy timeout, or PostgreSQL's lock_timeout (55P03), ran out."""
    orig = getattr(exc, "orig", exc)  # BEGIN IMMEDIATE goes to the driver unwrapped
    if getattr(orig, "sqlstate", None) == "55P03":
        return True
    return isinstance(orig, sqlite3.OperationalError) and "database is locked" in str(orig)


def _retry_after(exc: DBAPIError, *, committing: bool) -> bool:
    if exc.connection_invalidated:
        # A connection that died before COMMIT: nothing was applied. One cut off
        # during COMMIT may have been, so that error reaches the caller.
        return not committing
    return _is_retryable(exc)


class Database:
    """Owns the engine; hands out one session per unit of work."""

    def __init__(
        self, url: str, engine: Engine | None = None, *, wait_ms: int = SQLITE_BUSY_TIMEOUT_MS
    ) -> None:
        """`wait_ms` bounds each wait for a lock: short on the request path (Slack wants
        its ack within 3 s), long for jobs. A wait that runs out raises DatabaseBusy."""
        self.url = normalize_url(url)
        self.wait_ms = wait_ms
        self.engine = engine or build_engine(self.url, wait_ms=wait_ms)
        self.is_sqlite = is_sqlite(self.url)
        self._write_engine = self.engine.execution_options(**{_WRITE_OPTION: True})
        self._write_lock = sqlite_write_lock(self.url) if self.is_sqlite else None

    def ping(self) -> None:
        """SELECT 1 on a pooled connection; raises if the database does not answer."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    @contextmanager
    def session_scope(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any error."""
        with self._writing(write), self._session(write) as session:
            yield session
            session.commit()

    @contextmanager
    def _session(self, write: bool) -> Iterator[Session]:
        session = Session(bind=self._write_engine if write else self.engine, expire_on_commit=False)
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def _writing(self, write: bool) -> Iterator[None]:
        """On SQLite, hold this process's write lock around a write transaction."""
        lock = self._write_lock if write else None
        held = lock is not None and lock.acquire(timeout=self.wait_ms / 1000)
        try:
            yield
        finally:
            if held:
                assert lock is not None
                lock.release()

    def run(self, work: Callable[[Session], T], *, write: bool = True, attempts: int = 4) -> T:
        """Run `work` in one transaction, retrying a few times on transient conflicts.

        A unique violation is retried too: it means a concurrent writer created the
        same customer or submission first, and the retry will find its row. So is a
        connection found dead before COMMIT (the server restarted; the pool reconnects).
        """
        for attempt in range(1, attempts + 1):
            committing = False
            try:
                with self._writing(write), self._session(write) as session:
                    result = work(session)
                    committing = True
                    session.commit()
                    return result
            except (OperationalError, IntegrityError, sqlite3.OperationalError) as exc:
                if _is_lock_timeout(exc):  # the wait already lasted wait_ms: give up now
                    raise DatabaseBusy("the database is busy; try again in a moment") from exc
                if (
                    not isinstance(exc, DBAPIError)
                    or attempt == attempts
                    or not _retry_after(exc, committing=committing)
                ):
                    raise
                log.info("retrying transaction after %s (attempt %d)", type(exc).__name__, attempt)
                time.sleep(0.01 * 2**attempt)
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()


def connection(session: Session) -> Connection:
    """The session's connection, for repositories' Core statements.

    Like `session.execute`, it first flushes ORM changes still pending (so a Core
    query sees them), but without the ORM's per-statement work.
    """
    if session.autoflush:
        session.flush()  # next to nothing when there is nothing to flush
    return session.connection()


@dataclass(frozen=True)
class _Shape:
    names: frozenset[str]  # the model's columns
    defaults: dict[str, Any]  # the value each takes when not given
    factories: list[tuple[str, Callable[[], Any]]]  # or the default factory that makes it
    mapper: Mapper[Any]
    key_names: list[str]  # the primary key's columns


@cache
def _shape(model: type[SQLModel]) -> _Shape:
    configure_mappers()  # as the first ORM query would; `detached` needs the attributes set up
    mapper: Mapper[Any] = inspect(model)
    names = frozenset(c.key for c in mapper.columns)
    defaults: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    for name in names:
        field = model.model_fields[name]
        if field.default_factory is not None:
            factories.append((name, field.default_factory))  # type: ignore[arg-type]
        else:
            defaults[name] = None if field.is_required() else field.default
    key_names = [mapper.get_property_by_column(c).key for c in mapper.primary_key]
    return _Shape(names, defaults, factories, mapper, key_names)


def detached(model: type[M], values: Mapping[str, Any]) -> M:
    """A model instance holding `values`, as a row loaded by a session that has since closed.

    For repositories that read or write with Core statements and hand back models:
    missing columns take the model's defaults, unknown names are an error. The
    instance is built the way the ORM builds loaded rows, without `__init__`.
    """
    shape = _shape(model)
    unknown = values.keys() - shape.names
    if unknown:
        raise TypeError(f"{model.__name__} has no column {sorted(unknown)}")
    instance = shape.mapper.class_manager.new_instance()
    state = instance.__dict__
    state.update(shape.defaults)
    for name, factory in shape.factories:
        if name not in values:
            state[name] = factory()
    state.update(values)
    # What `make_transient_to_detached` does for an instance this fresh (every column
    # set, nothing modified), minus its per-attribute bookkeeping: give it its identity.
    key = shape.mapper.identity_key_from_primary_key([state[k] for k in shape.key_names])
    inspect(instance).key = key
    return instance
