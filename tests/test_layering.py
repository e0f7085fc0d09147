"""Imports flow one way: bot -> perks -> storage. The domain never sees Slack or the scheduler."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "perks": {"bot", "slack_bolt", "slack_sdk", "apscheduler"},
    "storage": {"bot", "perks", "slack_bolt", "slack_sdk", "apscheduler"},
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upwards(package: str) -> None:
    files = list((ROOT / package).rglob("*.py"))
    assert files
    bad = {str(f.relative_to(ROOT)): imported_roots(f) & FORBIDDEN[package] for f in files}
    assert {f: m for f, m in bad.items() if m} == {}


def test_domain_never_reads_the_clock() -> None:
    for package in ("perks", "storage"):
        for f in (ROOT / package).rglob("*.py"):
            text = f.read_text()
            assert ".now(" not in text and "utcnow" not in text and "date.today" not in text, f


def test_perkbot_run_serves_before_sqlalchemy_and_the_listeners_load() -> None:
    """bot.starting's promise: nothing imported before the server starts loads these."""
    heavy = ["sqlalchemy", "sqlmodel", "alembic", "apscheduler", "storage.db", "bot.app"]
    code = (
        "import sys, bot.cli, bot.starting; "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
