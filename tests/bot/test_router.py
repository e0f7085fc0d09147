"""The listener router: Bolt sees one listener per kind; ours are found by id."""

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, App, BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request import BoltRequest

from bot.listeners.router import KEYS, Router


def bare_app() -> App:
    return App(
        signing_secret="unused",
        request_verification_enabled=False,
        authorize=lambda **_: AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="x"),
    )


def click(action_id: str) -> BoltRequest:
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "actions": [{"action_id": action_id, "block_id": "b", "type": "button"}],
    }
    body = urlencode({"payload": json.dumps(payload)})
    return BoltRequest(body=body, headers={"content-type": "application/x-www-form-urlencoded"})


def test_each_id_reaches_its_own_listener_with_only_the_arguments_it_names() -> None:
    app, seen = bare_app(), []
    router = Router(app)

    @router.action("approve")
    def approve(ack: Ack, context: BoltContext) -> None:
        seen.append(("approve", context.user_id))
        ack()

    @router.action("reject")
    def reject(ack: Ack, body: dict[str, Any]) -> None:
        seen.append(("reject", body["user"]["id"]))
        ack(text="rejected")

    router.open()
    assert app.dispatch(click("reject")).status == 200
    assert app.dispatch(click("approve")).status == 200
    assert seen == [("reject", "U1"), ("approve", "U1")]
    assert len(app._listeners) == len(KEYS)  # one Bolt listener per kind, all actions in one


def test_an_action_without_a_listener_is_acked_and_nothing_runs() -> None:
    app, seen = bare_app(), []
    router = Router(app)
    router.action("approve")(lambda ack: seen.append("approve"))
    router.open()
    response = app.dispatch(click("open_link"))
    assert response.status == 200 and seen == []


def test_two_listeners_for_one_id_are_refused() -> None:
    router = Router(bare_app())
    router.view("propose")(lambda ack: None)
    with pytest.raises(ValueError, match="two view listeners for propose"):
        router.view("propose")(lambda ack: None)
