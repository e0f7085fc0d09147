"""Every builder, fed extreme inputs, stays within Block Kit limits and escapes typed text.

RELIABILITY 18/19/23: arbitrary Unicode up to 10k chars per field, 200-char names,
2000-char notes, `<!channel>` and `<https://x|y>` in every text field, 120 catalog
items, 60 pending approvals. Checked with slack_sdk's validators and the fake
Slack's own limits checker (the one that answers invalid_blocks end to end).
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.blocks.common import Message
from bot.blocks.digest import digest_message, digest_preview
from bot.blocks.event_modal import log_event_modal
from bot.blocks.home import home_view
from bot.blocks.lists import (
    help_message,
    history_message,
    pending_message,
    team_message,
    usage_message,
)
from bot.blocks.messages import (
    approval_outcome_message,
    approval_request_message,
    budget_message,
    decision_notice,
    event_logged_message,
    proposal_submitted_message,
    summary,
)
from bot.blocks.notes_blocks import (
    note_done_message,
    note_task_message,
    notes_list_message,
    snoozed_message,
)
from bot.blocks.propose_modal import ProposeChoices, perk_option_groups, propose_modal
from bot.blocks.settings_modal import settings_modal
from bot.blocks.small_modals import no_gifts_modal, reject_modal, skip_note_modal
from bot.fakeslack.limits import check_message, check_view
from bot.metadata import CustomerRef, EventModalMeta, NoteRef, ProposalRef, ProposeModalMeta
from perks.admin import TeamView
from perks.budgets import Balance
from perks.calendar import Period
from perks.catalog import Catalog, CatalogItem, Category, load_catalog
from perks.customers import History
from perks.decisions import Decided
from perks.deliveries import ProposalView
from perks.digest import Digest, RepLine
from perks.events import EarlierEvent, EventLogged
from perks.home import HomeData
from perks.kinds import EventKind
from perks.overview import BudgetView
from perks.roles import Role
from storage.models import Customer, LifeEvent, NoteTask, Proposal, Workspace

NOW = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
NASTY = "<!channel> & <https://x|y> <@U123> *bold* "
STATUSES = ["pending", "approved", "rejected", "auto_approved", "cancelled", "expired"]


def world(
    text: str, i: int = 1, status: str = "pending"
) -> tuple[Customer, LifeEvent, Proposal, NoteTask]:
    customer = Customer(
        id=i,
        team_id="T",
        name=(NASTY + text)[:200],
        company=(text + NASTY)[:200],
        name_key="k",
        created_at=NOW,
        no_gifts=True,
        no_gifts_reason=text[:500],
    )
    event = LifeEvent(
        id=i,
        team_id="T",
        customer_id=i,
        kind="service_recovery",
        event_date=date(2026, 11, 1),
        notes=(NASTY + text)[:2000],
        logged_by="U1",
        logged_at=NOW,
        resolved=False,
    )
    proposal = Proposal(
        id=i,
        team_id="T",
        customer_id=i,
        event_id=i,
        rep_user_id="U1",
        description=(NASTY + text)[:300],
        amount=25_000,
        currency="USD",
        period_start=date(2026, 11, 1),
        status=status,
        approval_reasons="OVER_THRESHOLD,OVER_ALLOWANCE,OVER_CUSTOMER_CAP",
        note_idea=(NASTY + text)[:1000],
        created_at=NOW,
        decided_at=NOW,
        decided_by="U2",
        decision_reason=(NASTY + text)[:1000],
    )
    task = NoteTask(
        id=i,
        team_id="T",
        rep_user_id="U1",
        customer_id=i,
        wording=(NASTY + text)[:1000],
        due_date=date(2026, 11, 18),
        remind_at=NOW,
        created_at=NOW,
        status="skipped",
        skip_reason=text[:1000],
    )
    return customer, event, proposal, task


def big_catalog() -> Catalog:
    base = load_catalog(None)
    extra = tuple(
        CatalogItem(
            id=f"item_{i}",
            name=(NASTY * 5)[:75],
            cost=Decimal(i),
            category=Category.GIFT,
            kinds=None,
            sensitive_ok=True,
            promotional=False,
        )
        for i in range(120)
    )
    return Catalog(items=base.items + extra)


def mrkdwn_texts(value: Any) -> list[str]:
    """Every string Slack parses as mrkdwn (plain_text shows `<` literally)."""
    if isinstance(value, list):
        return [t for v in value for t in mrkdwn_texts(v)]
    if isinstance(value, dict):
        own = (
            [value["text"]]
            if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str)
            else []
        )
        return own + [t for v in value.values() for t in mrkdwn_texts(v)]
    return []


def assert_escaped(texts: list[str]) -> None:
    for text in texts:
        assert "<!channel>" not in text and "<https://x|y>" not in text, text


def assert_message_ok(message: Message) -> None:
    payload = message.payload()
    assert payload["text"].strip()
    assert check_message(payload["text"], payload["blocks"]) == [], payload
    assert_escaped([payload["text"], *mrkdwn_texts(payload["blocks"])])  # typed text is escaped


def assert_view_ok(view: Any) -> None:
    body = view.to_dict()
    assert check_view(body) == [], body
    assert_escaped(mrkdwn_texts(body["blocks"]))


def messages_for(text: str) -> list[Message]:
    customer, event, proposal, task = world(text)
    balance = Balance(100_000, 120_000, 5_000)
    budget = BudgetView(Period(date(2026, 11, 1), date(2026, 12, 1)), "USD", balance, balance)
    items = [world(text, i, STATUSES[i % 6])[:3] for i in range(60)]
    histories = [
        History(world(text, i)[0], [event] * 30, [p for _c, _e, p in items][:30], [task] * 30)
        for i in range(3)
    ]
    view = ProposalView(proposal, customer, event, task)
    digest = Digest(
        team_id="T",
        currency="USD",
        week_start=date(2026, 11, 16),
        period=budget.period,
        team=balance,
        reps=[RepLine(f"U{i}", balance) for i in range(10)],
        more_reps=990,
        events_by_kind={k.value: 3 for k in EventKind},
        perks_by_status={s: (4, 1000) for s in STATUSES},
        notes_sent=3,
        notes_overdue=2,
        oldest_pending=[(p, c) for c, _e, p in items[:5]],
        highlights=[(p, c, e) for c, e, p in items[:3]],
        upcoming=[(date(2026, 11, 20), e, c) for c, e, _p in items[:40]],
    )
    return [
        help_message(manager=True, admin=True),
        usage_message(text[:100]),
        budget_message(budget),
        event_logged_message(EventLogged(event, customer, task)),
        approval_request_message(proposal, customer, event),
        *[approval_outcome_message(p, c, e) for c, e, p in items[:6]],
        proposal_submitted_message(view, -5),
        decision_notice(Decided(proposal, customer, event, task)),
        note_task_message(task, text),
        notes_list_message([(world(text, i)[3], text) for i in range(40)]),
        note_done_message(task, text),
        snoozed_message(task, text),
        history_message(text, histories, can_flag=True),
        pending_message([(p, c, e) for c, e, p in items]),
        team_message(
            TeamView(
                [f"U{i}" for i in range(300)], ["UA"], {f"U{i}": ["UR"] * 20 for i in range(100)}
            )
        ),
        digest_message(digest),
        digest_preview(digest),
    ]


def views_for(text: str) -> list[Any]:
    customer, event, proposal, _task = world(text)
    events = [event] * 150
    balance = Balance(100, 0, 0)
    budget = BudgetView(Period(date(2026, 11, 1), date(2026, 12, 1)), "USD", balance, balance)
    items = [world(text, i)[:3] for i in range(60)]
    home = HomeData(
        Role.ADMIN,
        budget,
        [(world(text, i)[3], text) for i in range(40)],
        [(p, c, e) for c, e, p in items],
        [(event, customer)] * 10,
        [(p, c, e) for c, e, p in items],
    )
    catalog = big_catalog()
    item = catalog.items[-1]
    ws = Workspace(
        team_id="T", created_at=NOW, updated_at=NOW, approvals_channel="C1", digest_channel="C2"
    )
    return [
        log_event_modal(
            EventModalMeta(permalink="https://x.slack.com/archives/C1/p1"),
            kind=EventKind.SERVICE_RECOVERY,
            notes=text,
            duplicate=EarlierEvent(1, EventKind.BEREAVEMENT, "U1", NOW),
        ),
        propose_modal(
            ProposeModalMeta(customer_id=1), ProposeChoices("USD", customer, events, 1, item)
        ),
        propose_modal(ProposeModalMeta(), ProposeChoices("USD")),
        reject_modal(
            ProposalRef(proposal_id=1, channel="C1", ts="1.2"), summary(proposal, customer, event)
        ),
        skip_note_modal(NoteRef(task_id=1), text),
        no_gifts_modal(CustomerRef(customer_id=1), text),
        settings_modal(ws, [f"U{i}" for i in range(50)]),
        home_view(home),
    ]


def test_every_builder_within_limits_with_worst_case_text() -> None:
    worst = (NASTY + "x" * 20 + "🎉中文&") * 200  # ~10k chars
    for message in messages_for(worst):
        assert_message_ok(message)
    for view in views_for(worst):
        assert_view_ok(view)


def test_perk_picker_options_stay_under_100_with_120_items() -> None:
    catalog = big_catalog()
    groups = perk_option_groups(list(catalog.items[:60]), list(catalog.items[60:]), "USD")
    options = [o for g in groups for o in g.to_dict()["options"]]
    assert len(options) <= 100 and options[-1]["value"] == "custom"
    assert all(len(o["text"]["text"]) <= 75 for o in options)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=0, max_size=10_000))
def test_builders_survive_arbitrary_unicode(text: str) -> None:
    for message in messages_for(text):
        assert_message_ok(message)
    for view in views_for(text):
        assert_view_ok(view)
