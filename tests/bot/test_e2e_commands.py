"""Every /perk sub-command over real HTTP (SPEC §3), private unless meant for others."""

from bot.ids import Action, Callback
from tests.bot.flows import log_event, make_manager, propose
from tests.bot.harness import ADMIN, MANAGER, REP, REP2, Workspace, all_text


def test_unknown_or_bad_text_answers_the_usage_line_privately(ws: Workspace) -> None:
    for text in ("dance", "budget now", "team assign bob", "customer", "team fire @x"):
        reply = ws.perk(REP, text)
        assert reply.json.get("response_type") == "ephemeral" and "Usage" in reply.json["text"], (
            text
        )
    reply = ws.perk(REP, "<!channel> & <https://evil|x>")
    assert "<!channel>" not in reply.json["text"] and "&lt;!channel&gt;" in reply.json["text"]


def test_manager_commands_are_refused_to_reps(ws: Workspace) -> None:
    for text, says in (
        ("pending", "see approvals"),
        ("digest", "preview the digest"),
        ("team", "see the team"),
        ("settings", "change Perkbot settings"),
    ):
        ws.perk(REP, text)
        assert says in all_text(ws.last_ephemeral(REP, says))


def test_duplicate_event_is_shown_first_then_can_be_saved(ws: Workspace) -> None:
    log_event(ws, kind="bereavement", customer="Grace Hopper")
    ws.perk(REP2, "event")
    view = ws.modal(REP2, Callback.LOG_EVENT)
    reply = ws.submit(REP2, view, Customer="grace hopper", **{"Life event": "bereavement"})
    assert reply.json.get("response_action") == "update"
    warned = ws.modal(REP2, Callback.LOG_EVENT)
    assert "already has a *bereavement* event" in all_text(warned) and f"<@{REP}>" in all_text(
        warned
    )
    ws.submit(REP2, warned)  # the same values, saved anyway
    ws.dm_with(REP2, "Logged")


def test_service_recovery_gate_and_mark_resolved(ws: Workspace) -> None:
    ws.perk(REP, "event", ws.general)
    view = ws.modal(REP, Callback.LOG_EVENT)
    ws.click(REP, view, Action.PICK_KIND, value="service_recovery")
    view = ws.wait(lambda: (v := ws.fake.modal(REP)) and "Issue resolved" in all_text(v) and v)
    ws.submit(REP, view, Customer="Alan Turing", **{"Life event": "service_recovery"})
    confirmation = ws.last_ephemeral(REP, "Logged")
    assert Action.MARK_RESOLVED in all_text(
        confirmation
    ) and Action.PROPOSE_FOR_EVENT not in all_text(confirmation)
    ws.click(REP, confirmation, Action.MARK_RESOLVED)
    ws.last_ephemeral(REP, "Marked resolved")
    ws.perk(REP, "customer alan turing")
    history = ws.last_ephemeral(REP, "Life events")
    assert "Bad experience with us" in all_text(history) and Action.MARK_RESOLVED not in all_text(
        history
    )


def test_notes_list_sent_snooze_and_skip(ws: Workspace) -> None:
    for name in ("Ada", "Grace", "Alan"):
        log_event(ws, customer=name, **{"Just a note": ["yes"]})
    ws.perk(REP, "notes")
    notes = ws.last_ephemeral(REP, "Your open notes (3)")
    ws.click(REP, notes, Action.NOTE_SNOOZE, block_id=_note_block(notes, 1))
    ws.last_ephemeral(REP, "Snoozed")
    ws.perk(REP, "notes")
    notes = ws.last_ephemeral(REP, "Your open notes (3)")
    ws.click(REP, notes, Action.NOTE_SENT, block_id=_note_block(notes, 0))
    ws.wait(lambda: "Sent" in all_text(ws.fake.ephemerals(REP)[-1]))
    ws.perk(REP, "notes")
    notes = ws.last_ephemeral(REP, "Your open notes (2)")
    ws.click(REP, notes, Action.NOTE_SKIP, block_id=_note_block(notes, 0))
    skip = ws.modal(REP, Callback.SKIP_NOTE)
    ws.submit(REP, skip, Reason="Moved abroad")
    ws.perk(REP, "notes")
    ws.last_ephemeral(REP, "Your open notes (1)")


def _note_block(message: object, index: int) -> str:
    ids = [b["block_id"] for b in message.blocks if b.get("block_id", "").startswith("note-")]  # type: ignore[attr-defined]
    return ids[index]


def test_customer_history_and_the_no_gifts_flag(ws: Workspace) -> None:
    make_manager(ws)
    propose(ws, log_event(ws, customer="Ada Lovelace", company="Analytical"), "20")
    ws.perk(REP, "customer ada lovelace")
    history = ws.last_ephemeral(REP, "Life events")
    assert "Analytical" in all_text(history) and "$20.00" in all_text(history)
    assert Action.NO_GIFTS not in all_text(history)  # reps can't flag
    ws.perk(MANAGER, "customer Ada Lovelace")
    history = ws.last_ephemeral(MANAGER, "Life events")
    ws.click(MANAGER, history, Action.NO_GIFTS)
    modal = ws.modal(MANAGER, Callback.NO_GIFTS)
    ws.submit(MANAGER, modal, Reason="Government buyer")
    ws.wait(lambda: "flagged no gifts" in all_text(ws.fake.modal(MANAGER)))
    propose(ws, log_event(ws, customer="Ada Lovelace", company="Analytical", kind="birthday"), "10")
    refusal = ws.last_ephemeral(REP, "was not proposed")  # the modal closed at the ack
    assert "Government buyer" in all_text(refusal) and "Flowers" in all_text(refusal)
    ws.perk(MANAGER, "customer Ada Lovelace")
    ws.click(MANAGER, ws.last_ephemeral(MANAGER, "Allow gifts"), Action.ALLOW_GIFTS)
    ws.last_ephemeral(MANAGER, "allowed again")


def test_pending_lists_approvals_with_buttons_for_managers(ws: Workspace) -> None:
    make_manager(ws)
    propose(ws, log_event(ws), "60")
    ws.dm_with(MANAGER, "approval needed")
    ws.perk(MANAGER, "pending")
    listing = ws.last_ephemeral(MANAGER, "Approvals waiting (1)")
    ws.click(MANAGER, listing, Action.APPROVE)
    ws.last_ephemeral(MANAGER, "Approved by")
    ws.dm_with(REP, "was approved")


def test_digest_preview_is_private_to_managers(ws: Workspace) -> None:
    make_manager(ws)
    propose(ws, log_event(ws), "20")
    ws.perk(MANAGER, "digest")
    preview = ws.last_ephemeral(MANAGER, "weekly digest")
    assert "Preview" in all_text(preview) and "░" in all_text(preview)  # the budget bar


def test_team_assign_and_unassign(ws: Workspace) -> None:
    make_manager(ws)
    ws.perk(ADMIN, f"team assign <@{REP}|rep> <@{MANAGER}|mgr>")
    ws.last_ephemeral(ADMIN, "now approves perks")
    ws.perk(MANAGER, "team")
    assert f"<@{MANAGER}> approves for <@{REP}>" in all_text(
        ws.last_ephemeral(MANAGER, "approves for")
    )
    ws.perk(ADMIN, f"team assign <@{REP}> <@{REP2}>")
    ws.last_ephemeral(ADMIN, "not a manager")
    ws.perk(ADMIN, f"team unassign <@{REP}>")
    ws.last_ephemeral(ADMIN, "no assigned manager")
    ws.perk(MANAGER, f"team unassign <@{REP}>")
    ws.last_ephemeral(MANAGER, "Only admins")


def test_settings_errors_show_under_the_field(ws: Workspace) -> None:
    ws.perk(ADMIN, "settings")
    view = ws.modal(ADMIN, Callback.SETTINGS)
    reply = ws.submit(ADMIN, view, **{"Team budget": "lots", "Timezone": "Mars/Base"})
    assert reply.json.get("response_action") == "errors"
    inputs = {b["block_id"] for b in view.blocks if b["type"] == "input"}
    assert set(reply.json["errors"]) <= inputs and "team_budget" in reply.json["errors"]
