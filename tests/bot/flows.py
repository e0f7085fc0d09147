"""Multi-step things people do, as reusable steps for the end-to-end tests."""

from bot.fakeslack.records import Ephemeral, Message
from bot.ids import Action, Callback
from tests.bot.harness import ADMIN, MANAGER, REP, Workspace, all_text


def make_manager(ws: Workspace, *managers: str) -> None:
    """The admin names managers in the Perkbot settings modal."""
    ws.perk(ADMIN, "settings")
    view = ws.modal(ADMIN, Callback.SETTINGS)
    ws.submit(ADMIN, view, Managers=list(managers or [MANAGER]))
    ws.wait(lambda: "Settings saved" in all_text(ws.fake.modal(ADMIN)))


def log_event(
    ws: Workspace,
    user: str = REP,
    customer: str = "Ada Lovelace",
    kind: str = "new_baby",
    **more: object,
) -> Ephemeral:
    ws.perk(user, "event", ws.general)
    view = ws.modal(user, Callback.LOG_EVENT)
    ws.submit(user, view, Customer=customer, **{"Life event": kind}, **more)
    return ws.last_ephemeral(user, "Logged")


def propose(
    ws: Workspace,
    confirmation: Ephemeral,
    amount: str,
    user: str = REP,
    description: str = "Flowers",
) -> None:
    """From the event confirmation: Propose a perk, a custom perk of `amount`."""
    ws.click(user, confirmation, Action.PROPOSE_FOR_EVENT)
    view = ws.modal(user, Callback.PROPOSE)
    seen = len(ws.fake.ephemerals(user)), len(ws.dm_messages(user))
    reply = ws.submit(user, view, Perk="custom", Amount=amount, Description=description)
    if reply.json.get("response_action") == "errors":
        return
    # The proposal is made right after the ack: wait until the rep hears how it went.
    ws.wait(lambda: any(o in all_text(m) for m in _told_since(ws, user, seen) for o in OUTCOMES))


OUTCOMES = ("Auto-approved", "Waiting for approval", "was not proposed")


def _told_since(ws: Workspace, user: str, seen: tuple[int, int]) -> list[Ephemeral | Message]:
    return [*ws.fake.ephemerals(user)[seen[0] :], *ws.dm_messages(user)[seen[1] :]]


def approval_request(ws: Workspace, approver: str = MANAGER) -> Message:
    return ws.dm_with(approver, "Perk approval needed")


def budget_text(ws: Workspace, user: str = REP) -> str:
    before = len(ws.fake.ephemerals(user))
    ws.perk(user, "budget")

    def answer() -> str | None:
        texts = [all_text(e) for e in ws.fake.ephemerals(user)[before:]]
        return next((t for t in texts if "Team budget" in t), None)

    return ws.wait(answer)
