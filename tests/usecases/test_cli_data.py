"""`perkbot export` and `perkbot audit` as an operator runs them, on a real database."""

import csv
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from perks.context import Ctx
from perks.decisions import approve
from perks.export import Month, month_csv
from storage.repositories import workspaces
from tests.conftest import ADMIN, NOW, actor
from tests.usecases.helpers import MANAGER, event_for, propose, with_manager

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str  # exactly as written: CSV lines end in \r\n
    stderr: str


def perkbot(db_url: str, *args: str) -> Done:
    env = {"PATH": os.environ.get("PATH", ""), "DATABASE_URL": db_url}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, capture_output=True, timeout=60
    )
    return Done(done.returncode, done.stdout.decode(), done.stderr.decode())


def test_export_prints_the_same_csv_as_the_slack_command(
    ctx: Ctx, db_url: str, tmp_path: Path
) -> None:
    with_manager(ctx)
    pending = propose(ctx, event_for(ctx, "@Ada"), "60")
    approve(ctx, actor(MANAGER), pending.proposal.id or 0, now=NOW)
    expected = month_csv(ctx, "T0001", Month(2026, 11), now=NOW).content

    done = perkbot(db_url, "export", "--month", "2026-11")
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected
    [row] = list(csv.DictReader(io.StringIO(done.stdout)))
    assert (row["customer"], row["amount"], row["approver"]) == ("'@Ada", "60.00", MANAGER)

    out = tmp_path / "nov.csv"
    done = perkbot(db_url, "export", "--month", "2026-11", "--out", str(out))
    assert done.returncode == 0 and out.read_bytes() == expected.encode()
    assert "wrote 1 perks of team T0001" in done.stderr


def test_export_needs_a_team_when_there_are_several(ctx: Ctx, db_url: str) -> None:
    propose(ctx, event_for(ctx, "Ada"), "5")
    with ctx.db.session_scope() as s:  # a second workspace
        workspaces.ensure(session=s, team_id="T0002", now=NOW)
    done = perkbot(db_url, "export", "--month", "2026-11")
    assert done.returncode == 2 and "several teams (T0001, T0002): pass --team" in done.stderr
    assert done.stdout == ""
    done = perkbot(db_url, "export", "--month", "2026-11", "--team", "T0002")
    assert done.returncode == 0 and done.stdout.count("\r\n") == 1  # the header only
    done = perkbot(db_url, "export", "--month", "2026-11", "--team", "T9")
    assert done.returncode == 2 and "no team T9" in done.stderr
    assert perkbot(db_url, "export", "--month", "11/2026").returncode == 2


def test_audit_prints_one_utc_line_per_entry(ctx: Ctx, db_url: str) -> None:
    with_manager(ctx)
    propose(ctx, event_for(ctx, "Ada"), "20")
    done = perkbot(db_url, "audit", "--since", "2026-11-16", "--team", "T0001")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    actions = [line.split(" ")[3] for line in lines]
    assert actions == ["member.role", "settings.changed", "event.logged", "proposal.auto_approved"]
    assert lines[0].startswith(f"2026-11-16T15:00:00Z T0001 {ADMIN} member.role user:{MANAGER}")
    assert perkbot(db_url, "audit", "--since", "2026-11-17").stdout == ""
    bad = perkbot(db_url, "audit", "--since", "17/11/2026")
    assert bad.returncode == 2 and "expected a date like 2026-11-01" in bad.stderr
