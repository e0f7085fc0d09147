"""A separate process that proposes perks at a given instant (for the two-process race).

Usage: python -m tests.usecases.race_worker URL TEAM REP_PREFIX COUNT START_AT EVENT_ID
Prints one JSON line: {"ok": n, "refused": n, "errors": [...]}
"""

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from perks.catalog import load_catalog
from perks.context import Actor, Ctx
from perks.errors import Refused
from perks.proposals import ProposalForm, propose_perk
from storage.db import Database


def main() -> None:
    url, team, prefix, count, start_at, event_id = sys.argv[1:7]
    ctx = Ctx(db=Database(url), catalog=load_catalog(None))
    now = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)

    def one(i: int) -> str:
        form = ProposalForm(event_id=int(event_id), amount="10", description="gift")
        try:
            propose_perk(ctx, Actor(team, f"{prefix}{i % 5}"), form, now=now)
            return "ok"
        except Refused:
            return "refused"
        except Exception as exc:  # noqa: BLE001 - the parent test reports any error
            return f"error: {type(exc).__name__}: {exc}"

    time.sleep(max(0.0, float(start_at) - time.time()))
    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(one, range(int(count))))
    print(
        json.dumps(
            {
                "ok": results.count("ok"),
                "refused": results.count("refused"),
                "errors": [r for r in results if r.startswith("error")],
            }
        )
    )


if __name__ == "__main__":
    main()
