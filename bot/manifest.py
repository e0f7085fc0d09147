"""`perkbot manifest`: the Slack app manifest for Perkbot, as JSON (SPEC §4)."""

from typing import Any

from bot.ids import COMMAND, Callback

# Bot scopes, each for the Web API methods (or features) the code uses.
SCOPES = {
    "commands": ("/perk", "the Log life event shortcut"),
    "chat:write": ("chat.postMessage", "chat.postEphemeral", "chat.update"),
    "users:read": ("users.info",),
    "im:write": ("conversations.open",),  # the DM an export is uploaded into
    "files:write": ("files.upload_v2",),  # files.getUploadURLExternal + completeUploadExternal
}
# Methods that need no scope: auth.test, views.*, chat.getPermalink.
UNSCOPED = (
    "auth.test",
    "views.open",
    "views.update",
    "views.push",
    "views.publish",
    "chat.getPermalink",
)
EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked")
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def scope_of(method: str) -> str | None:
    """The scope a Web API method needs (None if none); KeyError if the method is unknown here."""
    for scope, uses in SCOPES.items():
        if method in uses:
            return scope
    if method in UNSCOPED:
        return None
    raise KeyError(method)


def manifest(url: str | None = None, *, socket: bool = False) -> dict[str, Any]:
    base = url.rstrip("/") if url else None
    events_url = f"{base}{EVENTS_PATH}" if base and not socket else None
    with_url = {"url": events_url} if events_url else {}
    return {
        "display_information": {
            "name": "Perkbot",
            "description": "Surprise-and-delight customer care: life events, perks, one-click approvals.",
            "background_color": "#4a154b",
        },
        "features": {
            # Nobody chats with Perkbot: users cannot write in the Messages tab. The tab itself
            # stays, read-only, because Perkbot's DMs (approval requests, reminders) are
            # shown there; an app without it cannot message users.
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": "Perkbot", "always_online": True},
            "slash_commands": [
                {
                    "command": COMMAND,
                    "description": "Log life events, propose perks, see budgets",
                    "usage_hint": "help",
                    "should_escape": True,
                    **with_url,
                }
            ],
            "shortcuts": [
                {
                    "name": "Log life event",
                    "type": "message",
                    "callback_id": Callback.SHORTCUT.value,
                    "description": "Log a customer's life event from this message",
                }
            ],
        },
        "oauth_config": {
            "scopes": {"bot": sorted(SCOPES)},
            # Used only by an OAuth install (SLACK_CLIENT_ID set); harmless otherwise.
            **({"redirect_urls": [f"{base}{REDIRECT_PATH}"]} if base else {}),
        },
        "settings": {
            "event_subscriptions": {
                "bot_events": list(EVENTS),
                **({"request_url": events_url} if events_url else {}),
            },
            "interactivity": {
                "is_enabled": True,
                **(
                    {"request_url": events_url, "message_menu_options_url": events_url}
                    if events_url
                    else {}
                ),
            },
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket,
            "token_rotation_enabled": False,
        },
    }
