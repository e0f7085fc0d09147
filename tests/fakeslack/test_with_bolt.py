"""The fake and its client around a real Bolt app served over HTTP: the loop Perkbot's own
end-to-end tests run (signed request in, Web API calls out to the fake, waits instead of sleeps)."""

import threading
from collections.abc import Iterator
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import Ack, App, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.fakeslack import FakeSlack, SlackClient, fill
from tests.fakeslack.app_stub import SECRET
from tests.fakeslack.conftest import ALICE, BOB

MODAL = {
    "type": "modal",
    "callback_id": "log_event",
    "title": {"type": "plain_text", "text": "Log a life event"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "customer",
            "label": {"type": "plain_text", "text": "Customer"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}


def approval(customer: str) -> list[dict]:
    button = {
        "type": "button",
        "action_id": "approve",
        "text": {"type": "plain_text", "text": "Approve"},
    }
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"Perk for {customer}?"}},
        {"type": "actions", "block_id": "decide", "elements": [button]},
    ]


def build_app(fake: FakeSlack) -> App:
    app = App(
        token=fake.bot_token,
        signing_secret=SECRET,
        client=WebClient(token=fake.bot_token, base_url=fake.api_url),
    )

    @app.command("/perk")
    def perk(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    @app.view("log_event")
    def log_event(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        ack()
        customer = view["state"]["values"]["customer"]["value"]["value"]
        client.chat_postMessage(
            channel=BOB, text=f"Perk for {customer}?", blocks=approval(customer)
        )

    @app.action("approve")
    def approve(ack: Ack, respond: Respond, body: dict) -> None:
        ack()
        respond(text=f"Approved by <@{body['user']['id']}>", replace_original=True)

    return app


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def bolt_url(fake: FakeSlack) -> Iterator[str]:
    handler = SlackRequestHandler(build_app(fake))
    server = make_server("127.0.0.1", 0, handler, _ThreadingWSGIServer, _Quiet)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/slack/events"
    server.shutdown()
    server.server_close()


def test_command_modal_submit_and_one_click_approval(fake: FakeSlack, bolt_url: str) -> None:
    slack = SlackClient(bolt_url, SECRET, fake)
    assert slack.command(ALICE, "/perk", "event").status == 200
    view = fake.wait_for(lambda: fake.modal(ALICE))
    assert view.callback_id == "log_event"

    reply = slack.view_submission(ALICE, view, fill(view, {"Customer": "Ada"}))
    assert reply.status == 200 and reply.problems == [] and fake.modal(ALICE) is None
    dm = fake.dm(BOB)
    request = fake.wait_for(lambda: fake.last_message(dm))
    assert request.text == "Perk for Ada?"

    assert slack.block_action(BOB, request, "approve").status == 200
    fake.wait_for(lambda: fake.message(dm, request.ts).text.startswith("Approved"))
    assert fake.message(dm, request.ts).blocks == []  # updated in place, buttons gone
    assert len(fake.calls("auth.test")) <= 2


def test_a_bad_signature_never_reaches_the_listener(fake: FakeSlack, bolt_url: str) -> None:
    reply = SlackClient(bolt_url, "not-the-secret", fake).command(ALICE, "/perk", "event")
    assert reply.status == 401
    assert fake.calls("views.open") == []
