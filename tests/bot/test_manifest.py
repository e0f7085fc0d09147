"""The manifest holds every command, shortcut, event and scope the code uses, and no other scope."""

import json
import re
import subprocess
import sys
from pathlib import Path

from bot.ids import Callback
from bot.manifest import EVENTS, manifest, scope_of

ROOT = Path(__file__).resolve().parents[2]
CALL = re.compile(r"\.((?:chat|users|views|conversations|files|auth|team|oauth)_\w+)\(")


def methods_called() -> set[str]:
    """Web API methods called anywhere in the bot (client.chat_postMessage -> chat.postMessage)."""
    found = set()
    for path in (ROOT / "bot").rglob("*.py"):
        if "fakeslack" not in path.parts:
            found |= {name.replace("_", ".", 1) for name in CALL.findall(path.read_text())}
    return found


def test_scopes_are_exactly_those_the_code_needs() -> None:
    used = methods_called()
    assert {"chat.postMessage", "chat.update", "views.open", "users.info"} <= used
    needed = {scope_of(m) for m in used} - {None} | {"commands"}
    assert set(manifest()["oauth_config"]["scopes"]["bot"]) == needed


def test_command_shortcut_events_and_modes() -> None:
    http = manifest("https://perks.example.com/")
    command = http["features"]["slash_commands"][0]
    assert command["command"] == "/perk" and command["should_escape"] is True
    assert command["url"] == "https://perks.example.com/slack/events"
    assert http["features"]["shortcuts"][0]["callback_id"] == Callback.SHORTCUT
    assert http["settings"]["event_subscriptions"]["bot_events"] == list(EVENTS)
    assert set(EVENTS) == {"app_home_opened", "app_uninstalled", "tokens_revoked"}
    assert http["settings"]["socket_mode_enabled"] is False
    assert http["settings"]["interactivity"]["request_url"] == command["url"]
    socket = manifest(socket=True)
    assert (
        socket["settings"]["socket_mode_enabled"] is True
        and "url" not in socket["features"]["slash_commands"][0]
        and "request_url" not in socket["settings"]["event_subscriptions"]
    )


def test_app_home_has_the_home_tab_and_users_cannot_message_the_app() -> None:
    home = manifest()["features"]["app_home"]
    assert home["home_tab_enabled"] is True
    # The tab shows Perkbot's DMs; nobody can type into it.
    assert home["messages_tab_enabled"] is True and home["messages_tab_read_only_enabled"] is True


def test_oauth_redirect_url_only_with_a_public_url() -> None:
    redirect = ["https://perks.example.com/slack/oauth_redirect"]
    assert manifest("https://perks.example.com/")["oauth_config"]["redirect_urls"] == redirect
    # Socket Mode apps may still be installed by OAuth: the redirect is plain HTTP.
    with_socket = manifest("https://perks.example.com", socket=True)
    assert with_socket["oauth_config"]["redirect_urls"] == redirect
    assert "redirect_urls" not in manifest(socket=True)["oauth_config"]


def test_cli_prints_json_without_any_settings() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "manifest", "--socket"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["settings"]["socket_mode_enabled"] is True
