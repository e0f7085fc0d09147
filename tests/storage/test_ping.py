"""storage.ping: /healthz's question, asked through the driver alone (no SQLAlchemy)."""

import socket

import pytest
from sqlalchemy.engine import make_url

from storage.ping import ping


def test_a_migrated_database_answers_in_every_url_form(db_url: str) -> None:
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        drivers = ("postgresql", "postgresql+psycopg")
    else:
        drivers = ("sqlite", "sqlite+pysqlite")
    for driver in drivers:
        ping(url.set(drivername=driver).render_as_string(hide_password=False))  # or raises


def test_a_missing_sqlite_file_does_not_answer_and_is_not_created(tmp_path) -> None:
    missing = tmp_path / "nothing-here.db"
    with pytest.raises(Exception, match="unable to open"):
        ping(f"sqlite:///{missing}")
    assert not missing.exists()


def test_an_in_memory_sqlite_database_always_answers() -> None:
    ping("sqlite://")
    ping("sqlite:///:memory:")


def test_postgresql_with_nobody_listening_does_not_answer() -> None:
    with socket.socket() as s:  # a free port, closed again: nobody listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(Exception, match=r"(?i)connect"):
        ping(f"postgresql+psycopg://perkbot@127.0.0.1:{port}/perkbot")
