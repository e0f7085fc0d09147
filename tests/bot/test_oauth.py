"""OAuth multi-workspace install end to end: `perkbot run` with SLACK_CLIENT_ID/SECRET,
the fake Slack answering `oauth.v2.access`, two workspaces whose data never mix, token
rotation on requests and in jobs, and uninstall / revocation removing the tokens."""

import html
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from bot.fakeslack.api_oauth import FakeOAuth
from bot.fakeslack.client import SlackClient
from bot.fakeslack.records import Call
from bot.fakeslack.server import FakeSlack
from bot.ids import Action
from storage.db import normalize_url
from tests.bot.flows import approval_request, budget_text, log_event, make_manager, propose
from tests.bot.harness import ADMIN, MANAGER, REP, ROOT, SECRET, PerkbotProcess, Workspace

TEAM_B, B_ADMIN, B_REP = "T0002", "UBADMIN1", "UBREP001"
AUTHORIZE = re.compile(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"')


def get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode()


def install(bot: PerkbotProcess, provider: FakeOAuth, team_id: str, user_id: str) -> None:
    """What an admin does: open /slack/install, click Add to Slack, Allow on Slack."""
    status, headers, page = get(f"{bot.url}/slack/install")
    assert status == 200, page
    found = AUTHORIZE.search(page)
    assert found, page
    query = provider.approve(html.unescape(found.group(1)), team_id, user_id)
    cookie = headers["set-cookie"].split(";")[0]  # the state cookie Bolt checks
    status, _, page = get(f"{bot.url}/slack/oauth_redirect?{urlencode(query)}", cookie)
    assert status == 200, page


def bots(db_url: str) -> list[dict[str, object]]:
    engine = create_engine(normalize_url(db_url))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT team_id, bot_token, bot_token_expires_at FROM slack_bots"))
        found = [dict(r._mapping) for r in rows]
    engine.dispose()
    return found


def expire_tokens(db_url: str, minutes: int = 1) -> None:
    """Time passes: every stored bot token is `minutes` from expiry."""
    soon = (datetime.now(UTC) + timedelta(minutes=minutes)).replace(tzinfo=None)
    engine = create_engine(normalize_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE slack_bots SET bot_token_expires_at = :t"), {"t": soon})
    engine.dispose()


def start(fake: FakeSlack, provider: FakeOAuth, db_url: str) -> PerkbotProcess:
    return PerkbotProcess(
        fake,
        db_url,
        SLACK_BOT_TOKEN=None,
        SLACK_CLIENT_ID=provider.client_id,
        SLACK_CLIENT_SECRET=provider.client_secret,
        PERKBOT_ADMINS=f"{ADMIN},{B_ADMIN}",
    )


@pytest.fixture
def two(fake: FakeSlack, db_url: str) -> Iterator[tuple[Workspace, SlackClient, FakeOAuth]]:
    """Perkbot installed by OAuth in workspace A (the harness's) and workspace B."""
    provider = FakeOAuth(fake)
    bot = start(fake, provider, db_url)
    try:
        ws = Workspace(fake, bot)
        fake.add_team(TEAM_B)
        for user in (B_ADMIN, B_REP):
            fake.add_user(user, team_id=TEAM_B)
        install(bot, provider, fake.team.id, ADMIN)
        install(bot, provider, TEAM_B, B_ADMIN)
        yield ws, SlackClient(f"{bot.url}/slack/events", SECRET, fake, TEAM_B), provider
    finally:
        bot.stop()


def test_two_workspaces_never_see_or_decide_each_others_proposals(
    two: tuple[Workspace, SlackClient, FakeOAuth], db_url: str
) -> None:
    ws, slack_b, _ = two
    assert {b["team_id"] for b in bots(db_url)} == {"T0001", TEAM_B}
    make_manager(ws)
    confirmation = log_event(ws, customer="Ada Lovelace")
    propose(ws, confirmation, "60")
    request = approval_request(ws)
    # B's rep proposes a perk for A's event (its id in the button): not found, no modal.
    slack_b.block_action(B_REP, confirmation, Action.PROPOSE_FOR_EVENT)
    missing = ws.wait(lambda: next(iter(ws.fake.ephemerals(B_REP)), None))
    assert "That life event no longer exists" in missing.text, missing
    assert ws.fake.modal(B_REP, TEAM_B) is None
    # B's admin (an approver in B) clicks Approve on A's request: not found, nothing moves.
    slack_b.block_action(B_ADMIN, request, Action.APPROVE)
    refusal = ws.wait(lambda: next(iter(ws.fake.ephemerals(B_ADMIN)), None))
    assert "does not exist in this workspace" in refusal.text + str(refusal.blocks)
    assert "$60.00 pending" in budget_text(ws)
    # B sees none of A's spending or approvals: not in /perk pending or budget, nor in the
    # App Home of B's admin, published with B's token.
    slack_b.command(B_ADMIN, "/perk", "pending")
    slack_b.command(B_ADMIN, "/perk", "budget")
    answers = ws.wait(lambda: (e := ws.fake.ephemerals(B_ADMIN))[2:] and e)
    budget = next(x for x in answers if "Team budget" in str(x.blocks))
    assert "$0.00 pending" in str(budget.blocks)
    slack_b.app_home_opened(B_ADMIN)
    home = ws.fake.wait_for_call("views.publish", where=lambda c: c.team_id == TEAM_B)
    assert home.params["user_id"] == B_ADMIN
    token_b = ws.fake.state.teams[TEAM_B].bot_token
    assert home.token == token_b and ws.fake.state.teams["T0001"].bot_token != token_b
    for leak in ("Ada Lovelace", "$60.00", REP, MANAGER):
        assert leak not in str(answers) + json.dumps(home.params), leak
    # A's manager still decides A's proposal.
    ws.click(MANAGER, request, Action.APPROVE)
    ws.dm_with(REP, "was approved")


def test_auth_test_runs_at_most_once_per_token_and_no_token_is_logged(
    two: tuple[Workspace, SlackClient, FakeOAuth],
) -> None:
    ws, slack_b, provider = two
    for _ in range(25):
        ws.perk(REP, "budget")
        slack_b.command(B_REP, "/perk", "budget")
    ws.wait(lambda: len(ws.fake.ephemerals(B_REP)) >= 25 and True)
    per_token = Counter(c.token for c in ws.fake.calls("auth.test"))
    assert per_token and max(per_token.values()) == 1, per_token  # the install's own check
    log = "".join(ws.bot.log)  # and no token, secret or code in the bot's log (RELIABILITY 26)
    hidden = [t.bot_token for t in ws.fake.state.teams.values()] + [provider.client_secret]
    assert "serving Slack" in log and not [h for h in hidden if h in log]


def test_uninstall_and_revoked_tokens_delete_the_installation(
    two: tuple[Workspace, SlackClient, FakeOAuth], db_url: str
) -> None:
    ws, slack_b, _ = two
    assert ws.slack.event({"type": "app_uninstalled"}).status == 200
    assert {b["team_id"] for b in bots(db_url)} == {TEAM_B}
    bot_user_b = ws.fake.state.teams[TEAM_B].bot_user_id
    revoked = {"type": "tokens_revoked", "tokens": {"bot": [bot_user_b]}}
    assert slack_b.event(revoked).status == 200
    assert bots(db_url) == []
    ws.perk(REP, "budget")  # A uninstalled: asked to reinstall, no Perkbot answer
    ws.last_ephemeral(REP, "reinstall")
    assert not any("Team budget" in str(e.blocks) for e in ws.fake.ephemerals(REP))


def refreshes(fake: FakeSlack) -> list[Call]:
    return [c for c in fake.calls("oauth.v2.access") if c.params.get("grant_type")]


def test_rotating_tokens_are_refreshed_by_requests_and_by_jobs(
    fake: FakeSlack, db_url: str
) -> None:
    provider = FakeOAuth(fake, rotation=True)
    bot = start(fake, provider, db_url)
    try:
        ws = Workspace(fake, bot)
        install(bot, provider, fake.team.id, ADMIN)
        first = bots(db_url)[0]
        assert str(first["bot_token"]).startswith("xoxe.xoxb-") and first["bot_token_expires_at"]
        # An open note: the reminders job reads REP's timezone with users.info.
        log_event(ws, **{"Just a note": ["yes"]})
        expire_tokens(db_url)
        assert "Team budget" in budget_text(ws)  # nearly dead: the request refreshed it first
        assert len(refreshes(fake)) == 1
        # Expiring soon: used as is and refreshed after the ack, so a slow Slack does not
        # hold the ack (budget_text asserts the ack came within 2.5 s).
        expire_tokens(db_url, minutes=30)
        provider.delay_s = 3.0
        assert "Team budget" in budget_text(ws)
        fake.wait_for(lambda: len(refreshes(fake)) == 2, timeout=10)
        provider.delay_s = 0.0
    finally:
        bot.stop()
    expire_tokens(db_url)
    current = fake.state.teams[fake.team.id].bot_token
    done = run_job(fake, provider, db_url, "reminders")
    assert len(refreshes(fake)) == 3
    users_info = fake.calls("users.info")[-1]
    new = fake.state.teams[fake.team.id].bot_token
    assert new != current and users_info.token == new and users_info.ok
    assert current not in done.stderr + done.stdout and new not in done.stderr + done.stdout


def run_job(
    fake: FakeSlack, provider: FakeOAuth, db_url: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """`perkbot jobs run …` as the scheduler of an OAuth install would run it."""
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "jobs", "run", *args],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
            "SLACK_API_URL": fake.api_url,
            "SLACK_CLIENT_ID": provider.client_id,
            "SLACK_CLIENT_SECRET": provider.client_secret,
            "DATABASE_URL": db_url,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_an_uninstalled_workspaces_deliveries_fail_for_good(
    two: tuple[Workspace, SlackClient, FakeOAuth], db_url: str
) -> None:
    ws, _, provider = two
    log_event(ws, **{"Just a note": ["yes"]})  # a note reminder for REP, due in 2 days
    assert ws.slack.event({"type": "app_uninstalled"}).status == 200
    later = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    done = run_job(ws.fake, provider, db_url, "reminders", "--now", later)
    assert "sent 0" in done.stdout and "failed 1" in done.stdout, done.stdout
    posts = ws.fake.calls("chat.postMessage")
    assert posts[-1].token is None and posts[-1].response["error"] == "not_authed"


def test_no_install_pages_without_oauth(ws: Workspace) -> None:
    assert get(f"{ws.bot.url}/slack/install")[0] == 404
    assert get(f"{ws.bot.url}/slack/oauth_redirect?code=x&state=y")[0] == 404
