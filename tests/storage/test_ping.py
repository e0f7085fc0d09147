"""storage.ping: which migration the database is at, asked through the driver alone."""

import socket
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy.engine import make_url

from storage.ping import revision
from storage.revisions import current_head


def test_a_migrated_database_answers_in_every_url_form_at_the_newest_migration(
    db_url: str,
) -> None:
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        drivers = ("postgresql", "postgresql+psycopg")
    else:
        drivers = ("sqlite", "sqlite+pysqlite")
    for driver in drivers:
        form = url.set(drivername=driver).render_as_string(hide_password=False)
        assert revision(form) == current_head()


def test_a_database_before_its_first_migration_has_no_revision(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "new.db").close()
    assert revision(f"sqlite:///{tmp_path / 'new.db'}") is None


def test_characters_a_file_uri_would_misread_stay_in_the_file_name(tmp_path: Path) -> None:
    name = tmp_path / "a#b?c%d.db"
    sqlite3.connect(name).close()
    before = set(tmp_path.iterdir())
    revision(f"sqlite:///{quote(str(name))}")  # SQLAlchemy's URLs are percent-encoded
    assert set(tmp_path.iterdir()) == before  # no stray file made by a misread name


def test_a_missing_sqlite_file_does_not_answer_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.db"
    with pytest.raises(Exception, match="unable to open"):
        revision(f"sqlite:///{missing}")
    assert not missing.exists()


def test_an_in_memory_sqlite_database_always_answers() -> None:
    assert revision("sqlite://") is None  # answers, and has no migration of its own
    assert revision("sqlite:///:memory:") is None


def test_postgresql_with_nobody_listening_does_not_answer() -> None:
    with socket.socket() as s:  # a free port, closed again: nobody listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(Exception, match=r"(?i)connect"):
        revision(f"postgresql+psycopg://perkbot@127.0.0.1:{port}/perkbot")
