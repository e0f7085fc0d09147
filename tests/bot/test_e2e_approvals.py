"""The core loop over real HTTP: log an event, propose, approve or reject, budgets move."""

import time

from bot.fakeslack.client import InvalidSubmission
from bot.ids import Action, Callback
from tests.bot.flows import approval_request, budget_text, log_event, make_manager, propose
from tests.bot.harness import ADMIN, MANAGER, REP, REP2, Workspace, all_text


def has_buttons(message: object) -> bool:
    return any(b.get("type") == "actions" for b in message.blocks)  # type: ignore[attr-defined]


def test_log_event_via_modal_confirms_privately_with_a_propose_button(ws: Workspace) -> None:
    confirmation = log_event(ws, customer="Ada Lovelace", kind="new_baby", Notes="Twins!")
    text = all_text(confirmation)
    assert "New baby" in text and "Ada Lovelace" in text and Action.PROPOSE_FOR_EVENT in text
    assert confirmation.channel == ws.general


def test_auto_approved_perk_pings_nobody(ws: Workspace) -> None:
    make_manager(ws)
    propose(ws, log_event(ws), "20")
    done = ws.last_ephemeral(REP, "Auto-approved")
    assert "$20.00" in all_text(done)
    time.sleep(0.3)  # give a wrongly sent request the chance to show up
    assert not any("approval needed" in all_text(m) for m in ws.dm_messages(MANAGER))
    assert "$20.00 spent" in budget_text(ws)


def test_pending_then_approve_updates_the_request_and_tells_the_rep(ws: Workspace) -> None:
    make_manager(ws)
    propose(ws, log_event(ws), "60")
    ws.last_ephemeral(REP, "Waiting for approval")
    assert "$60.00 pending" in budget_text(ws)
    request = approval_request(ws)
    assert "over the auto-approve limit" in all_text(request) and has_buttons(request)
    ws.click(MANAGER, request, Action.APPROVE)
    updated = ws.wait(
        lambda: (m := ws.fake.message(request.channel, request.ts)) and not has_buttons(m) and m
    )
    assert "Approved by <@UMGR0001>" in all_text(updated)
    notice = ws.dm_with(REP, "was approved")
    assert "Approved by" in all_text(notice)
    text = budget_text(ws)
    assert "$60.00 spent" in text and "$0.00 pending" in text


def test_reject_needs_a_reason_and_the_rep_sees_it(ws: Workspace) -> None:
    make_manager(ws)
    propose(ws, log_event(ws), "60")
    request = approval_request(ws)
    ws.click(MANAGER, request, Action.REJECT)
    modal = ws.modal(MANAGER, Callback.REJECT)
    try:
        ws.submit(MANAGER, modal, Reason="")
        raise AssertionError("Slack's client requires the Reason")
    except InvalidSubmission:
        pass
    reply = ws.slack.view_submission(MANAGER, modal, check=False)  # a client that skips the check
    assert reply.json.get("response_action") == "errors" and "reason" in reply.json["errors"]
    ws.submit(
        MANAGER, ws.modal(MANAGER, Callback.REJECT), Reason="Too much <b>for</b> a first order"
    )
    updated = ws.wait(
        lambda: (m := ws.fake.message(request.channel, request.ts)) and not has_buttons(m) and m
    )
    assert "Rejected by <@UMGR0001>" in all_text(updated) and "&lt;b&gt;" in all_text(updated)
    assert "Too much" in all_text(ws.dm_with(REP, "was rejected"))
    assert "$0.00 pending" in budget_text(ws)


def test_second_click_and_stale_copy_change_nothing_and_say_who_decided(ws: Workspace) -> None:
    make_manager(ws, MANAGER, "UMGR0002")
    ws.fake.add_user("UMGR0002")
    propose(ws, log_event(ws), "60")
    first, second = approval_request(ws, MANAGER), approval_request(ws, "UMGR0002")
    ws.click(MANAGER, first, Action.APPROVE)
    ws.wait(
        lambda: not has_buttons(ws.fake.message(second.channel, second.ts))
    )  # every copy updated
    ws.click("UMGR0002", second, Action.APPROVE)  # a stale copy, clicked anyway
    refusal = ws.last_ephemeral("UMGR0002", "already approved by")
    assert "<@UMGR0001>" in all_text(refusal)
    ws.click(MANAGER, first, Action.APPROVE)  # the same person again
    ws.last_ephemeral(MANAGER, "already approved by")
    assert "$60.00 spent" in budget_text(ws)


def test_self_approval_and_non_approver_are_refused_privately(ws: Workspace) -> None:
    make_manager(ws)
    propose(ws, log_event(ws, user=MANAGER), "60", user=MANAGER)
    request = approval_request(ws, ADMIN)  # the manager's own request goes to the admin
    ws.click(MANAGER, request, Action.APPROVE)  # a forwarded copy
    assert "your own" in all_text(ws.last_ephemeral(MANAGER, "own proposal"))
    ws.click(REP2, request, Action.APPROVE)
    assert "managers and admins" in all_text(ws.last_ephemeral(REP2, "managers and admins"))
    assert has_buttons(ws.fake.message(request.channel, request.ts))
    assert "$60.00 pending" in budget_text(ws, MANAGER)


def test_cross_team_click_changes_nothing(ws: Workspace) -> None:
    make_manager(ws)
    propose(ws, log_event(ws), "60")
    request = approval_request(ws)
    other = ws.fake.add_team("T0002")
    ws.fake.add_user("UOTHER01", team_id=other.id)
    ws.fake.add_user("UOADMIN1", team_id=other.id)
    intruder = ws.slack.with_options()
    intruder.team_id = other.id
    intruder.block_action("UOTHER01", request, Action.APPROVE)
    time.sleep(0.5)
    assert has_buttons(ws.fake.message(request.channel, request.ts))
    assert "$60.00 pending" in budget_text(ws)


def test_bad_signature_and_stale_timestamp_get_401_and_change_nothing(ws: Workspace) -> None:
    for client in (
        ws.slack.with_options(secret="wrong"),
        ws.slack.with_options(clock=lambda: time.time() - 301),
        ws.slack.with_options(sign=False),
    ):
        reply = client.command(REP, "/perk", "budget")
        assert reply.status == 401
    assert ws.fake.ephemerals(REP) == []
    assert (
        ws.slack.with_options(clock=lambda: time.time() - 200).command(REP, "/perk", "help").status
        == 200
    )


def test_retried_event_delivery_is_handled_once(ws: Workspace) -> None:
    home = {"type": "app_home_opened", "user": REP, "tab": "home", "channel": ws.fake.dm(REP)}
    ws.slack.event(home, event_id="Ev0001")
    ws.wait(lambda: ws.fake.home(REP) is not None)
    retry = ws.slack.with_options(retry_num=1, retry_reason="http_timeout")
    assert retry.event(home, event_id="Ev0001").status == 200
    ws.slack.event(home, event_id="Ev0002")
    ws.wait(lambda: len(ws.fake.calls("views.publish")) >= 2)
    time.sleep(0.3)
    assert len(ws.fake.calls("views.publish")) == 2
