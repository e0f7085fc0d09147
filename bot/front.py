"""The Bolt app itself, before any of Perkbot's listeners: light enough to build at once.

Importing this loads Bolt and the settings only, not SQLAlchemy or the domain, so that
`perkbot run --http` answers Slack while the rest loads (bot.starting).
"""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App

from bot.settings import Settings
from bot.tokens import web_client


def bolt_app(
    settings: Settings, *, executor: ThreadPoolExecutor | None = None, **options: Any
) -> App:
    """`options`: more of App's arguments (the OAuth ones); `executor` runs lazy listeners."""
    secret = settings.slack_signing_secret
    return App(
        name="perkbot",  # without one, Bolt names the app from inspect.stack(): ~0.1 s at start
        client=web_client(settings),
        signing_secret=secret.get_secret_value() if secret else None,
        # The ack function's reply goes out as soon as it returns (no 10 ms polling);
        # slow work runs in lazy listeners after the ack.
        process_before_response=True,
        token_verification_enabled=False,  # auth.test runs once, on the first request
        raise_error_for_unhandled_request=False,
        listener_executor=executor,
        **options,
    )
