"""create_app: the Bolt App with its listeners, error handler and Web API client."""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltResponse

from bot import oauth
from bot.errors import CommandUsageError, user_message
from bot.listeners import approvals, commands, events, modals, notes, shortcuts, views
from bot.listeners.common import Deps, utcnow
from bot.listeners.router import Router
from bot.settings import Settings
from bot.tokens import web_client
from perks.catalog import load_catalog
from perks.context import Ctx
from storage.db import Database

log = logging.getLogger("perkbot")
# Ack-phase database waits stay well inside Slack's 3 s (RELIABILITY 2).
REQUEST_LOCK_TIMEOUT_MS = 1500


def create_app(
    settings: Settings,
    *,
    ctx: Ctx | None = None,
    clock: Callable[[], datetime] = utcnow,
    executor: ThreadPoolExecutor | None = None,
) -> App:
    """The Bolt app; `executor` (default: a pool of our own) runs the work after acks."""
    if ctx is None:
        ctx = Ctx(
            db=Database(settings.database_url, wait_ms=REQUEST_LOCK_TIMEOUT_MS),
            catalog=load_catalog(settings.perkbot_catalog),
            admins=frozenset(settings.perkbot_admins),
        )
    app = App(
        name="perkbot",  # without one, Bolt names the app from inspect.stack(): ~0.1 s at start
        client=web_client(settings),
        signing_secret=settings.slack_signing_secret.get_secret_value()
        if settings.slack_signing_secret
        else None,
        # The ack function's reply goes out as soon as it returns (no 10 ms polling);
        # slow work runs in lazy listeners after the ack.
        process_before_response=True,
        token_verification_enabled=False,  # auth.test runs once, on the first request
        raise_error_for_unhandled_request=False,
        listener_executor=executor,
        **(oauth.app_options(settings, ctx.db) if settings.oauth else {}),
    )
    deps = Deps(ctx=ctx, clock=clock, **({"pool": executor} if executor else {}))
    router = Router(app)
    for module in (events, commands, approvals, notes, modals, views, shortcuts):
        module.register(router, deps)
    router.install()
    if settings.oauth:  # app_uninstalled / tokens_revoked delete the installation
        app.enable_token_revocation_listeners()
    app.error(_on_error)
    return app


def _on_error(error: Exception, body: dict[str, Any], respond: Any) -> BoltResponse:
    """Errors in the ack phase: a private message (incident id for the unexpected)."""
    message = user_message(error)
    if (
        not isinstance(error, CommandUsageError)
        and body.get("response_url")
        and respond is not None
    ):
        try:
            respond(response_type="ephemeral", replace_original=False, **message.payload())
        except Exception:
            log.exception("could not send the error reply")
    return BoltResponse(status=200, body="")
