"""Settings: every SPEC §4 variable, validated, one clear line on error, exit 2."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings, SettingsError, load_settings
from storage import migrate

ROOT = Path(__file__).resolve().parents[2]
ALL_VARS = [
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_API_URL",
    "DATABASE_URL",
    "PERKBOT_ADMINS",
    "PERKBOT_CATALOG",
    "PERKBOT_SCHEDULER",
    "LOG_LEVEL",
    "LOG_FORMAT",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ALL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_env_example_lists_every_setting_with_a_comment() -> None:
    text = (ROOT / ".env.example").read_text()
    listed = re.findall(r"^([A-Z_]+)=", text, flags=re.M)
    assert sorted(listed) == sorted(f.upper() for f in Settings.model_fields)
    assert sorted(listed) == sorted(ALL_VARS)
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z_]+=", line):
            above = i - 1
            while re.match(r"^[A-Z_]+=", lines[above]):  # a pair sharing one comment
                above -= 1
            assert lines[above].startswith("# "), f"{line} has no comment"


def test_defaults() -> None:
    s = load_settings()
    assert s.database_url == "sqlite:///perkbot.db" and s.slack_api_url == "https://slack.com/api/"
    assert (
        s.scheduler_on
        and s.log_level == "INFO"
        and s.log_format == "text"
        and s.perkbot_admins == []
    )


def test_values_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERKBOT_ADMINS", "U012AB3CD, W0XYZ12")
    monkeypatch.setenv("PERKBOT_SCHEDULER", "OFF")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9999/api")
    monkeypatch.setenv("log_level", "debug")
    s = load_settings()
    assert s.perkbot_admins == ["U012AB3CD", "W0XYZ12"] and not s.scheduler_on
    assert s.slack_api_url == "http://127.0.0.1:9999/api/" and s.log_level == "DEBUG"


def test_database_urls_sqlalchemy_accepts_are_accepted() -> None:
    for url in (
        "sqlite:///Application Support/perkbot.db",
        "sqlite://",
        "postgresql://perkbot:p%40ss@db.internal:5432/perkbot",
        "postgresql+psycopg:///perkbot",
    ):
        assert load_settings(database_url=url).database_url == url


def test_dotenv_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite:///other.db\n")
    assert load_settings().database_url == "sqlite:///other.db"


def test_secrets_never_print() -> None:
    s = load_settings(slack_bot_token="xoxb-secret-123")
    assert "secret-123" not in repr(s) and "secret-123" not in str(s.model_dump())


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("PERKBOT_ADMINS", "alice", "PERKBOT_ADMINS: expected comma-separated Slack user IDs"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL: expected a sqlite:/// or postgresql:// URL"),
        ("DATABASE_URL", "not a url", "DATABASE_URL: expected an SQLAlchemy URL"),
        ("DATABASE_URL", "sqlite:///a.db\n", "DATABASE_URL: expected an SQLAlchemy URL"),
        ("DATABASE_URL", "SQLITE:///a.db", "DATABASE_URL: expected a sqlite:/// or postgresql://"),
        (
            "SLACK_BOT_TOKEN",
            "xoxp-user",
            "SLACK_BOT_TOKEN: expected a bot token starting with xoxb-",
        ),
        ("SLACK_APP_TOKEN", "abc", "SLACK_APP_TOKEN: expected an app-level token"),
        ("SLACK_API_URL", "ftp://x", "SLACK_API_URL: expected an http(s) URL"),
        ("PERKBOT_SCHEDULER", "maybe", "PERKBOT_SCHEDULER: expected 'on' or 'off'"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: expected 'text' or 'json'"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL: expected 'DEBUG'"),
        (
            "PERKBOT_CATALOG",
            "/nope/catalog.toml",
            "PERKBOT_CATALOG: expected the path of a catalog TOML",
        ),
    ],
)
def test_malformed_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    says: str,
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert str(err.value).startswith(says) and "\n" not in str(err.value)
    assert main(["db", "upgrade"]) == 2
    err_text = capsys.readouterr().err
    assert err_text.count("\n") == 1 and says in err_text


def test_bad_catalog_file_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "c.toml"
    bad.write_text('[[items]]\nid = "x"\nname = "X"\ncost = 5\n')
    monkeypatch.setenv("PERKBOT_CATALOG", str(bad))
    assert main(["db", "upgrade"]) == 2
    assert "cost" in capsys.readouterr().err


def test_run_without_credentials_names_the_variables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID"):
        assert name in err


def test_db_upgrade_twice_through_the_installed_command(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "PATH": str(Path(sys.executable).parent),
    }
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert f"migration {migrate.current_head()}" in done.stdout
