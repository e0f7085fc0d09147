"""`/perk export` and `/perk forget` as Slack drives them, against `perkbot run --http`."""

import csv
import io
from datetime import UTC, datetime

from bot.fakeslack.records import Ephemeral
from bot.ids import Action
from storage.db import Database
from tests.bot.flows import log_event, make_manager, propose
from tests.bot.harness import ADMIN, MANAGER, REP, Workspace, all_text
from tests.erasure_check import text_columns_holding

NAME = "Zelda Quixfernsby"
FORMULA = "=HYPERLINK(1)"


def exported_rows(ws: Workspace, user: str) -> list[dict[str, str]]:
    """The CSV the bot uploaded into the user's DM."""
    message = ws.dm_with(user, "one row each")
    [file_id] = message.files
    file = ws.fake.file(file_id)
    assert file is not None and file.content is not None and file.completed
    assert file.name == f"perks-{datetime.now(UTC):%Y-%m}.csv"
    return list(csv.DictReader(io.StringIO(file.content.decode())))


def test_export_uploads_the_months_csv_to_the_managers_dm(ws: Workspace) -> None:
    make_manager(ws)
    propose(ws, log_event(ws, customer=FORMULA), "20", description="Flowers")
    ws.last_ephemeral(REP, "Auto-approved")

    ws.perk(MANAGER, f"export {datetime.now(UTC):%Y-%m}")
    ws.last_ephemeral(MANAGER, "sent to your DM")
    [row] = exported_rows(ws, MANAGER)
    assert (row["customer"], row["amount"], row["status"]) == (
        "'" + FORMULA,
        "20.00",
        "auto_approved",
    )
    assert (row["rep"], row["perk"], row["note_status"]) == (REP, "Flowers", "open")


def test_export_is_for_managers_and_checks_the_month(ws: Workspace) -> None:
    ws.perk(REP, "export")
    assert "manager" in all_text(ws.last_ephemeral(REP, "export perks"))
    reply = ws.perk(MANAGER, "export 2026-13")  # answered privately in the ack itself
    assert reply.json["response_type"] == "ephemeral" and "YYYY-MM" in reply.json["text"]
    assert not [c for c in ws.fake.calls() if c.method.startswith("files.")]


def forget_prompt(ws: Workspace, name: str) -> Ephemeral:
    ws.perk(ADMIN, f"forget {name}")
    return ws.last_ephemeral(ADMIN, "Forget")


def test_forget_asks_with_a_danger_button_then_erases(ws: Workspace, db_url: str) -> None:
    make_manager(ws)
    propose(ws, log_event(ws, customer=NAME, Notes=f"{NAME} had twins"), "60")
    ws.wait(lambda: "Perk approval needed" in all_text(ws.dm_messages(MANAGER)[-1]))

    prompt = forget_prompt(ws, NAME.lower())
    [button] = [e for b in prompt.blocks if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == Action.FORGET and button["style"] == "danger"
    assert button["confirm"]["confirm"]["text"] == "Forget"
    ws.click(ADMIN, prompt, Action.FORGET)
    ws.last_ephemeral(ADMIN, "Customer forgotten")

    ws.perk(REP, f"customer {NAME}")
    ws.last_ephemeral(REP, "No customer named")
    db = Database(db_url)
    try:
        assert text_columns_holding(db.engine, "Quixfernsby") == []
        assert text_columns_holding(db.engine, "had twins") == []
    finally:
        db.dispose()


def test_only_admins_may_forget(ws: Workspace) -> None:
    log_event(ws, customer=NAME)
    make_manager(ws)
    ws.perk(MANAGER, f"forget {NAME}")
    assert "admin" in all_text(ws.last_ephemeral(MANAGER, "forget a customer"))
    ws.perk(ADMIN, "forget Nobody Atall")
    ws.last_ephemeral(ADMIN, "No customer named")
