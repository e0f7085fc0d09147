"""Which migration is the newest, read from the migration files alone (no SQLAlchemy,
no Alembic): `perkbot run` asks it before those have loaded (bot.starting)."""

import re
from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
_FIELD = re.compile(r'^(revision|down_revision)\s*:.*?=\s*"?(\w+|None)"?\s*$', re.M)


def current_head() -> str:
    """The newest revision: the one no other migration builds on."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        fields = dict(_FIELD.findall(path.read_text()))
        revisions.add(fields["revision"])
        parents.add(fields.get("down_revision"))
    (head,) = revisions - parents
    return head
