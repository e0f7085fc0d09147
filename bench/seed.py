"""Bulk rows straight into a migrated benchmark database, for the benchmarks that need
many: COPY on PostgreSQL, one `executemany` per table in one transaction on SQLite;
then ANALYZE (VACUUM ANALYZE on PostgreSQL) so the planner knows the tables' sizes.

Rows are tuples in the order of the columns given, with timestamps and dates already
in the driver's form (`Loader.stamp` / `Loader.day`). Ids are given explicitly, so
rows can refer to each other; PostgreSQL's sequences are moved past them at the end.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from bench import baseline

Row = tuple[Any, ...]
WORKSPACE_COLUMNS = (
    "team_id", "currency", "budget_period", "timezone", "team_budget", "rep_allowance",
    "auto_approve_limit", "customer_cap", "max_perk", "digest_day", "digest_time",
    "digest_dm_managers", "note_due_business_days", "retention_months", "created_at",
    "updated_at",
)  # fmt: skip
MEMBER_COLUMNS = (
    "id",
    "team_id",
    "user_id",
    "role",
    "manager_user_id",
    "timezone",
    "timezone_checked_at",
)
CUSTOMER_COLUMNS = (
    "id",
    "team_id",
    "name",
    "company",
    "name_key",
    "company_key",
    "no_gifts",
    "created_at",
)
COMPANY = "Bench Ltd"


class Loader:
    """One driver connection that fills whole tables.

    While a table fills, its plain indexes and its foreign keys are off (dropped on
    PostgreSQL; `foreign_keys=OFF` on SQLite): afterwards the indexes are built again
    from their own definitions and the foreign keys put back and checked, so the schema
    and its guarantees end up as migrated, in a fraction of the time."""

    def __init__(self, url: str) -> None:
        self.conn = baseline.connect(url)
        self.sqlite = self.conn.dialect.sqlite
        self._serial: list[str] = []
        if self.sqlite:
            self.conn.execute("PRAGMA foreign_keys=OFF")

    def stamp(self, value: datetime | None) -> object:
        if value is None or not self.sqlite:
            return value
        # SQLAlchemy's text form on SQLite (as baseline.Dialect.stamp), but faster.
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")

    def day(self, value: date) -> object:
        return self.conn.dialect.day(value)

    def load(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> int:
        """Insert every row; returns how many."""
        if "id" in columns:
            self._serial.append(table)
        with self.filling(table):
            if self.sqlite:
                return self._insert_many(table, columns, rows)
            return self._copy(table, columns, rows)

    def _insert_many(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> int:
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        return self.conn.transaction(lambda: int(self.conn.raw.executemany(sql, rows).rowcount))

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> int:
        count = 0
        with (
            self.conn.raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def insert_select(self, table: str, sql: str) -> int:
        """`sql` (an INSERT INTO `table` … SELECT) in one transaction; returns its rowcount."""
        with self.filling(table):
            return int(self.conn.transaction(lambda: self.conn.execute(sql).rowcount))

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return self.conn.rows(sql, params)

    @contextmanager
    def filling(self, table: str) -> Iterator[None]:
        """`table` without its plain indexes and foreign keys for the block; both back after."""
        indexes = self.rows(SQLITE_INDEXES if self.sqlite else PG_INDEXES, (table,))
        keys = [] if self.sqlite else self.rows(PG_FOREIGN_KEYS, (table,))
        for name, _ in indexes:
            self.conn.execute(f"DROP INDEX {name}")
        for name, _ in keys:
            self.conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        yield
        for _, definition in indexes:
            self.conn.execute(definition)
        for name, definition in keys:
            self.conn.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        if self.sqlite and (broken := self.rows(f"PRAGMA foreign_key_check({table})")):
            raise ValueError(f"{table}: {len(broken)} rows break a foreign key, e.g. {broken[0]}")

    def finish(self) -> None:
        """Sequences past the loaded ids, then fresh planner statistics."""
        if self.sqlite:
            self.conn.execute("ANALYZE")
            return
        for table in dict.fromkeys(self._serial):
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        self.conn.execute("VACUUM ANALYZE")

    def close(self) -> None:
        self.conn.close()


# (name, CREATE INDEX …) of a table's indexes that no constraint owns.
SQLITE_INDEXES = """SELECT name, sql FROM sqlite_master
 WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"""
PG_INDEXES = """SELECT indexname, indexdef FROM pg_indexes
 WHERE schemaname = current_schema() AND tablename = %s
 AND indexname NOT IN (SELECT conname FROM pg_constraint)"""
PG_FOREIGN_KEYS = """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
 WHERE conrelid = %s::regclass AND contype = 'f'"""


@contextmanager
def loading(url: str) -> Iterator[Loader]:
    """A loader for `url`; statistics are refreshed when the block ends without error."""
    loader = Loader(url)
    try:
        yield loader
        loader.finish()
    finally:
        loader.close()


def workspace(loader: Loader, team_id: str, now: datetime, **settings: object) -> None:
    """The team's workspace row: SPEC §2 defaults (as `storage.models.Workspace`) + `settings`."""
    values: dict[str, object] = {
        "team_id": team_id, "currency": "USD", "budget_period": "month", "timezone": "UTC",
        "team_budget": 100_000, "rep_allowance": 10_000, "auto_approve_limit": 2_500,
        "customer_cap": 15_000, "max_perk": 25_000, "digest_day": 0, "digest_time": "09:00",
        "digest_dm_managers": True, "note_due_business_days": 2, "retention_months": 24,
        "created_at": loader.stamp(now), "updated_at": loader.stamp(now),
    }  # fmt: skip
    unknown = settings.keys() - values.keys()
    if unknown:
        raise TypeError(f"no workspace setting {sorted(unknown)}")
    values.update(settings)
    loader.load("workspaces", WORKSPACE_COLUMNS, [tuple(values[c] for c in WORKSPACE_COLUMNS)])


def rep_id(index: int) -> str:
    return f"UREP{index:05d}"


def manager_id(index: int) -> str:
    return f"UMGR{index:03d}"


def members(loader: Loader, team_id: str, *, reps: int, managers: int, checked_at: datetime) -> int:
    """`managers` managers and `reps` reps (rep i reports to manager i % managers), each
    with a UTC timezone read from Slack at `checked_at`."""
    stamp = loader.stamp(checked_at)
    people = [(manager_id(m), "manager", None) for m in range(managers)]
    people += [
        (rep_id(r), "rep", manager_id(r % managers) if managers else None) for r in range(reps)
    ]
    rows = (
        (i, team_id, user, role, boss, "UTC", stamp)
        for i, (user, role, boss) in enumerate(people, start=1)
    )
    return loader.load("members", MEMBER_COLUMNS, rows)


def customer_name(index: int) -> str:
    return f"Customer {index:06d}"


def customers(loader: Loader, team_id: str, count: int, created_at: datetime) -> int:
    """Customers 1..count, named `customer_name(id)`, all at the same company."""
    stamp = loader.stamp(created_at)
    rows = (
        (
            i,
            team_id,
            customer_name(i),
            COMPANY,
            customer_name(i).lower(),
            COMPANY.lower(),
            False,
            stamp,
        )
        for i in range(1, count + 1)
    )
    return loader.load("customers", CUSTOMER_COLUMNS, rows)


def parse_stamp(value: datetime | str) -> datetime:
    """A timestamp read back with the bare driver, as an aware UTC datetime."""
    if isinstance(value, str):  # SQLite keeps SQLAlchemy's text form, in UTC
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
