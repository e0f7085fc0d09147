"""One function per scheduled job: plan what is due (perks.planning), then deliver it.

Each is an idempotent pass as of `now`; the scheduler and `perkbot jobs run` call them.
"""

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.digest import digest_message
from bot.blocks.messages import coming_up_message, reminder_of_request
from bot.blocks.notes_blocks import note_task_message
from bot.delivery import Pacer, Posted, Prepare, Send, Tally, deliver, each, posting
from bot.ids import JOBS
from bot.listeners.approvals import after_decision
from bot.listeners.common import Deps
from bot.settings import Settings
from bot.tokens import job_clients
from perks import deliveries, home, planning, timezones
from perks.catalog import load_catalog
from perks.context import Actor, Ctx
from perks.digest import build_digest
from perks.events import get_event
from perks.planning import Kind
from storage.db import Database
from storage.models import Delivery

log = logging.getLogger("perkbot.jobs")


@dataclass
class Jobs:
    ctx: Ctx
    client_for: Callable[[str], WebClient]
    pacer: Pacer | None = None

    def run(self, name: str, now: datetime) -> str:
        """Run one job's pass; returns a one-line summary for logs and the CLI."""
        if name not in JOBS:
            raise ValueError(f"unknown job {name!r}; expected one of {', '.join(JOBS)}")
        summary = getattr(self, name)(now)
        log.info("job %s at %s: %s", name, now.isoformat(), summary)
        return summary

    def _deliver(
        self, now: datetime, prepares: dict[str, Prepare], feeding: Future[int] | None = None
    ) -> Tally:
        pacer = self.pacer or Pacer()
        return deliver(self.ctx, self.client_for, prepares, now=now, pacer=pacer, feeding=feeding)

    def reminders(self, now: datetime) -> str:
        self.refresh_timezones(now)
        # Sending starts as soon as the planner's first batch is committed.
        with ThreadPoolExecutor(1, thread_name_prefix="perkbot-plan") as planner:
            planned = planner.submit(planning.plan_reminders, self.ctx, now)
            tally = self._deliver(now, {Kind.NOTE_REMINDER: self._note_reminders}, planned)
        return f"planned {planned.result()}, {_tally(tally)}"

    def escalations(self, now: datetime) -> str:
        repinged, expired = planning.plan_escalations(self.ctx, now)
        handlers = {
            Kind.REPING: each(self._reping),
            Kind.EXPIRED: each(lambda c, d: self._expired(c, d, now)),
        }
        return f"re-pinged {repinged}, expired {expired}, {_tally(self._deliver(now, handlers))}"

    def recurring(self, now: datetime) -> str:
        planned = planning.plan_recurring(self.ctx, now)
        handlers = {Kind.RECURRING: each(self._coming_up)}
        return f"planned {planned}, {_tally(self._deliver(now, handlers))}"

    def digest(self, now: datetime) -> str:
        planned = planning.plan_digest(self.ctx, now)
        handlers = {Kind.DIGEST: each(lambda c, d: self._digest(c, d, now))}
        return f"planned {planned}, {_tally(self._deliver(now, handlers))}"

    def retention(self, now: datetime) -> str:
        return f"purged the notes of {planning.purge_old_notes(self.ctx, now)} events"

    def refresh_timezones(self, now: datetime) -> None:
        """Read reps' timezones from users.info (cached a day) before planning reminders."""
        for team_id, user_id in timezones.stale(self.ctx, now=now):
            try:
                profile = self.client_for(team_id).users_info(user=user_id)
            except SlackApiError as exc:
                log.warning("users.info %s: %s", user_id, exc.response.get("error"))
                continue
            timezones.record(
                self.ctx, team_id, user_id, (profile.get("user") or {}).get("tz"), now=now
            )

    # -- what each delivery sends ------------------------------------------------------

    def _note_reminders(self, batch: Sequence[Delivery]) -> Send:
        """The batch's note tasks and customers' names in one read, then one post each."""
        found = deliveries.note_reminders(self.ctx, [d.id or 0 for d in batch])

        def send(client: WebClient, d: Delivery) -> Posted:
            task, name = found.get(d.id or 0, (None, ""))
            if task is None or task.status != "open":
                return None  # gone, sent or skipped meanwhile: nothing to remind
            return _post(client, d.target, note_task_message(task, name).payload())

        return send

    def _reping(self, client: WebClient, d: Delivery) -> Posted:
        view = deliveries.proposal_view(self.ctx, d.team_id, d.subject_id or 0)
        if view is None or view.proposal.status != "pending":
            return None
        posted = _post(
            client,
            d.target,
            reminder_of_request(view.proposal, view.customer, view.event).payload(),
        )
        deliveries.record_approval_message(self.ctx, d.team_id, d.subject_id or 0, *posted)
        return posted

    def _expired(self, client: WebClient, d: Delivery, now: datetime) -> Posted:
        after_decision(Deps(self.ctx, clock=lambda: now), client, d.team_id, d.subject_id or 0)
        return None

    def _coming_up(self, client: WebClient, d: Delivery) -> Posted:
        event = get_event(self.ctx, Actor(d.team_id, d.target), d.subject_id or 0)
        customer = home.customer_events(
            self.ctx, Actor(d.team_id, d.target), event.customer_id
        ).customer
        occurrence = date.fromisoformat(d.key.rsplit(":", 1)[1])  # planned as recurring:{id}:{date}
        return _post(client, d.target, coming_up_message(event, customer, occurrence).payload())

    def _digest(self, client: WebClient, d: Delivery, now: datetime) -> Posted:
        manager = None if d.target[:1] in ("C", "G") else d.target
        message = digest_message(build_digest(self.ctx, d.team_id, now=now, manager=manager))
        return _post(client, d.target, message.payload())


def _post(client: WebClient, channel: str, payload: dict[str, object]) -> tuple[str, str]:
    response = posting(client).chat_postMessage(channel=channel, **payload)
    return str(response["channel"]), str(response["ts"])


def _tally(t: Tally) -> str:
    return f"sent {t.sent}, skipped {t.skipped}, retry later {t.retried}, failed {t.failed}"


def jobs_for(settings: Settings) -> Jobs:
    """The jobs of `perkbot run` and `perkbot jobs run`, on their own database engine."""
    ctx = Ctx(
        db=Database(settings.database_url),
        catalog=load_catalog(settings.perkbot_catalog),
        admins=frozenset(settings.perkbot_admins),
    )
    # OAuth: each team's current token, read (and refreshed) per use, never cached here.
    return Jobs(ctx, client_for=job_clients(settings, ctx.db.engine))
