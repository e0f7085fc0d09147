"""Socket Mode for real: `perkbot run` with SLACK_APP_TOKEN, the fake Slack's WebSocket
server sending envelopes and checking the acks, a dropped session, a redelivered event."""

import signal
import time
from collections.abc import Iterator

import pytest

from bot.fakeslack.server import FakeSlack
from bot.fakeslack.socket_mode import SocketModeClient, SocketModeServer
from bot.ids import Action, Callback
from tests.bot.flows import budget_text, log_event
from tests.bot.harness import REP, PerkbotProcess, Workspace


@pytest.fixture
def sockets(fake: FakeSlack) -> Iterator[SocketModeServer]:
    server = SocketModeServer(fake)
    yield server
    server.close()


@pytest.fixture
def sws(fake: FakeSlack, sockets: SocketModeServer, db_url: str) -> Iterator[Workspace]:
    """A workspace talking to `perkbot run` over Socket Mode only (no signing secret)."""
    bot = PerkbotProcess(
        fake, db_url, http=False, SLACK_APP_TOKEN=sockets.app_token, SLACK_SIGNING_SECRET=None
    )
    try:
        ws = Workspace(fake, bot)
        ws.slack = SocketModeClient(sockets, fake)
        sockets.wait_connected()
        yield ws
    finally:
        bot.stop()


def test_command_button_and_modal_errors_travel_as_acked_envelopes(
    sws: Workspace, sockets: SocketModeServer
) -> None:
    assert "Team budget" in budget_text(sws)  # a slash command, acked, answered privately
    confirmation = log_event(sws)
    click = sws.click(REP, confirmation, Action.PROPOSE_FOR_EVENT)  # a button
    assert click.body == ""  # acked with no payload: the modal opens through views.open
    view = sws.modal(REP, Callback.PROPOSE)
    reply = sws.submit(REP, view, Perk="custom", Amount="12.345", Description="Flowers")
    assert reply.json["response_action"] == "errors" and reply.json["errors"]
    assert sockets.stray_acks == []
    assert len(sws.fake.calls("apps.connections.open")) == 1


@pytest.mark.parametrize("clean", [True, False], ids=["closed", "cut"])
def test_a_lost_session_reconnects_and_is_logged(
    sws: Workspace, sockets: SocketModeServer, clean: bool
) -> None:
    sockets.drop(clean=clean)
    sockets.wait_connected(sessions=2, timeout=40)  # a cut is noticed after 4 missed pongs
    assert "Team budget" in budget_text(sws)
    assert len(sws.fake.calls("apps.connections.open")) == 2  # a fresh URL for the new session
    log = "".join(sws.bot.log)
    if clean:
        assert "socket mode: session closed (code 1001, going away); last pong" in log, log
    else:  # nothing says goodbye: the pongs stop, then the client gives up on the session
        assert "socket mode: no pong for" in log, log
    assert logged(sws.bot, "socket mode: reconnected (session"), "".join(sws.bot.log)


def logged(bot: PerkbotProcess, text: str, timeout: float = 10.0) -> bool:
    """Whether the bot's stderr shows `text` within `timeout` (its watch runs every 3 s)."""
    deadline = time.monotonic() + timeout
    while text not in "".join(bot.log) and time.monotonic() < deadline:
        time.sleep(0.1)
    return text in "".join(bot.log)


def test_a_redelivered_event_is_handled_once(sws: Workspace) -> None:
    event = {"type": "app_home_opened", "user": REP, "tab": "home"}
    assert sws.slack.event(event, event_id="Ev0SOCKET1").status == 200
    sws.fake.wait_for_call("views.publish")
    again = sws.slack.with_options(retry_num=1, retry_reason="timeout")
    assert again.event(event, event_id="Ev0SOCKET1").status == 200
    assert sws.slack.event(event, event_id="Ev0SOCKET2").status == 200
    sws.fake.wait_for(lambda: len(sws.fake.calls("views.publish")) >= 2, timeout=10)
    assert len(sws.fake.calls("views.publish")) == 2  # the first and the third, not the retry


def test_sigterm_closes_the_session_and_exits(sws: Workspace) -> None:
    sws.bot.proc.send_signal(signal.SIGTERM)
    assert sws.bot.proc.wait(15) == 0
    assert "Traceback" not in "".join(sws.bot.log)
