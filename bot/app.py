"""create_app: the Bolt App with its listeners, error handler and Web API client."""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltResponse

from bot import oauth
from bot.errors import CommandUsageError, user_message
from bot.front import bolt_app
from bot.listeners import approvals, commands, events, modals, notes, shortcuts, views
from bot.listeners.common import Deps, utcnow
from bot.listeners.router import Router
from bot.settings import Settings
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
    ctx = ctx or request_ctx(settings)
    options = oauth.app_options(settings, ctx.db) if settings.oauth else {}
    app = bolt_app(settings, executor=executor, **options)
    router = Router(app)
    add_listeners(router, settings, ctx, clock=clock, executor=executor)
    return app


def request_ctx(settings: Settings) -> Ctx:
    """What the listeners work with; database waits bounded for the ack's sake."""
    return Ctx(
        db=Database(settings.database_url, wait_ms=REQUEST_LOCK_TIMEOUT_MS),
        catalog=load_catalog(settings.perkbot_catalog),
        admins=frozenset(settings.perkbot_admins),
    )


def add_listeners(
    router: Router,
    settings: Settings,
    ctx: Ctx,
    *,
    clock: Callable[[], datetime] = utcnow,
    executor: ThreadPoolExecutor | None = None,
) -> None:
    """Perkbot's listeners and error handler on the router's app; requests then flow."""
    deps = Deps(ctx=ctx, clock=clock, **({"pool": executor} if executor else {}))
    for module in (events, commands, approvals, notes, modals, views, shortcuts):
        module.register(router, deps)
    if settings.oauth:  # app_uninstalled / tokens_revoked delete the installation
        router.app.enable_token_revocation_listeners()
    router.app.error(_on_error)
    router.open()


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
