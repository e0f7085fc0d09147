import ast
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect, text
from sqlmodel import SQLModel

import storage.models  # noqa: F401
from storage import migrate, slack_tables
from storage.db import Database, normalize_url

TABLES = {
    "workspaces",
    "members",
    "customers",
    "life_events",
    "proposals",
    "ledger_entries",
    "note_tasks",
    "audit_entries",
    "digest_runs",
    "alembic_version",
    slack_tables.INSTALLATIONS,
    slack_tables.BOTS,
    slack_tables.OAUTH_STATES,
}


def test_head_has_every_table_and_no_drift(db: Database) -> None:
    with db.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    assert diff == []


def test_oauth_tables_have_the_shapes_of_slack_sdks_stores(db: Database) -> None:
    """The migrated install tables are what slack_sdk's SQLAlchemy stores read and write."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore as S
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    theirs = MetaData()
    S.build_installations_table(theirs, "slack_installations")
    S.build_bots_table(theirs, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, "slack_oauth_states")
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, kind, _parent: (
                        kind != "table" or name in theirs.tables
                    ),
                },
            ),
            theirs,
        )
    assert diff == []


def test_upgrade_again_changes_nothing(db_url: str) -> None:
    migrate.upgrade(db_url)
    engine = create_engine(normalize_url(db_url))
    with engine.connect() as conn:
        before = sorted(inspect(conn).get_table_names())
        version = conn.execute(text("select version_num from alembic_version")).scalar_one()
    migrate.upgrade(db_url)
    with engine.connect() as conn:
        assert sorted(inspect(conn).get_table_names()) == before
    engine.dispose()
    assert version == migrate.current_head()


def test_upgrade_builds_a_new_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate.upgrade(url)
    db = Database(url)
    with db.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES
    db.dispose()


def test_sqlite_runs_wal_with_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()


def _ledger_changes(source: str) -> set[str]:
    """What in a repository's source could change or remove rows (INSERTs are fine)."""
    tree = ast.parse(source)
    calls = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    found = calls & {"update", "delete", "merge", "text", "exec_driver_sql", "bulk_update_mappings"}
    # An attribute set on a loaded row would be flushed as an UPDATE.
    if any(
        isinstance(target, ast.Attribute)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
    ):
        found.add("attribute assignment")
    sql = source.upper().replace("UPDATE OR DELETE", "")
    found |= {word for word in ("UPDATE", "DELETE") if word in sql}
    return found


def test_ledger_repository_never_updates_or_deletes() -> None:
    assert _ledger_changes(Path("storage/repositories/ledger.py").read_text()) == set()


def test_the_ledger_check_catches_updates_and_deletes() -> None:
    for bad in (
        "session.execute(update(LedgerEntry).values(amount=0))",
        "session.execute(delete(LedgerEntry))",
        "session.delete(row)",
        "session.merge(row)",
        "row.amount = 0",
        "conn.exec_driver_sql('UPDATE ledger_entries SET amount = 0')",
        "SQL = 'DELETE FROM ledger_entries'",
    ):
        assert _ledger_changes(bad), bad
    assert _ledger_changes("session.connection().execute(insert(LedgerEntry), row)") == set()


def test_quick_head_check_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert migrate.current_head() == script.get_current_head()


def test_start_up_skips_alembic_when_already_at_head(db_url: str) -> None:
    assert migrate.database_revision(db_url) == migrate.current_head()
