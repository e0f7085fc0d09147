"""Property: no sequence of propose / approve / reject / cancel / expire overspends.

Hypothesis drives random sequences against a real (SQLite) database and checks,
after every step, that the ledger sums match the proposals' states and that
committed + reserved never exceeds the team budget or the rep allowances' sum.
"""

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from perks.admin import SettingsForm, update_settings
from perks.catalog import load_catalog
from perks.context import Ctx
from perks.decisions import AlreadyDecidedProposal, approve, cancel, expire, reject
from perks.errors import InvalidInput, NotAllowed, Refused
from perks.overview import budget
from perks.proposals import Status
from storage.db import Database
from tests.conftest import ADMIN, NOW, TEAM, actor
from tests.dbs import SqliteTemplate
from tests.usecases.helpers import MANAGER, event_for, propose

_FOLDER = Path(tempfile.mkdtemp(prefix="perkbot-prop-"))
_TEMPLATE = SqliteTemplate(_FOLDER)
REPS = ["UREPA001", "UREPB002", MANAGER]
BUDGET = 20_000


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.ctx = Ctx(
            db=Database(_TEMPLATE.new(_FOLDER)),
            catalog=load_catalog(None),
            admins=frozenset({ADMIN}),
        )
        update_settings(
            self.ctx,
            actor(ADMIN),
            SettingsForm(
                managers=[MANAGER], team_budget="200", rep_allowance="80", customer_cap="120"
            ),
            now=NOW,
        )
        self.events = [event_for(self.ctx, f"Customer {i}", now=NOW) for i in range(2)]
        self.amounts: dict[int, int] = {}
        self.status: dict[int, str] = {}
        self.booked_at: dict[int, datetime] = {}  # when each proposal was made (its period)
        self.clock = NOW

    def teardown(self) -> None:
        if hasattr(self, "ctx"):
            self.ctx.db.dispose()

    @rule(rep=st.sampled_from(REPS), customer=st.integers(0, 1), cents=st.integers(1, 26_000))
    def propose(self, rep: str, customer: int, cents: int) -> None:
        amount = f"{cents // 100}.{cents % 100:02d}"
        try:
            result = propose(self.ctx, self.events[customer], amount, rep=rep, now=self.clock)
        except (Refused, InvalidInput):
            return
        pid = result.proposal.id or 0
        self.amounts[pid] = result.proposal.amount
        self.status[pid] = result.proposal.status
        self.booked_at[pid] = self.clock

    def _pending(self) -> list[int]:
        return [p for p, s in self.status.items() if s == Status.PENDING]

    @precondition(lambda self: self._pending())
    @rule(
        data=st.data(),
        who=st.sampled_from([MANAGER, ADMIN]),
        verdict=st.sampled_from(["approve", "reject"]),
    )
    def decide(self, data: st.DataObject, who: str, verdict: str) -> None:
        pid = data.draw(st.sampled_from(self._pending()))
        try:
            if verdict == "approve":
                self.status[pid] = approve(
                    self.ctx, actor(who), pid, now=self.clock
                ).proposal.status
            else:
                self.status[pid] = reject(
                    self.ctx, actor(who), pid, reason="r", now=self.clock
                ).proposal.status
        except (NotAllowed, AlreadyDecidedProposal):
            pass  # own proposal (manager as rep)

    @precondition(lambda self: self._pending())
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self._pending()))
        with self.ctx.db.session_scope(write=False) as s:
            from storage.repositories import proposals

            rep = proposals.get(session=s, team_id=TEAM, proposal_id=pid).rep_user_id  # type: ignore[union-attr]
        self.status[pid] = cancel(self.ctx, actor(rep), pid, now=self.clock).proposal.status

    @rule(hours=st.integers(1, 80))
    def time_passes_and_expiry_runs(self, hours: int) -> None:
        self.clock += timedelta(hours=hours)
        for pid in self._pending():
            done = expire(self.ctx, TEAM, pid, now=self.clock)
            if done is not None:
                self.status[pid] = done.proposal.status

    @invariant()
    def ledger_matches_states_and_budget_holds(self) -> None:
        if not hasattr(self, "ctx"):
            return
        for moment in {NOW, *self.booked_at.values()}:
            view = budget(self.ctx, actor(ADMIN), now=moment)
            mine = [
                p
                for p, at in self.booked_at.items()
                if view.period.start <= at.date() < view.period.end
            ]
            committed = sum(
                self.amounts[p]
                for p in mine
                if self.status[p] in (Status.APPROVED, Status.AUTO_APPROVED)
            )
            reserved = sum(self.amounts[p] for p in mine if self.status[p] == Status.PENDING)
            assert (view.team.committed, view.team.reserved) == (committed, reserved)
            assert view.team.committed + view.team.reserved <= BUDGET


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = settings(max_examples=25, stateful_step_count=25, deadline=None)
