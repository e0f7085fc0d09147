"""What every listener shares: dependencies, who is acting, private replies."""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks.common import Message
from bot.blocks.home import home_view
from bot.errors import guarded
from bot.listeners.recent import RecentSettings
from bot.listeners.throttle import Throttle
from perks.context import Actor, Ctx
from perks.home import home

log = logging.getLogger("perkbot")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    ctx: Ctx
    clock: Callable[[], datetime] = utcnow
    # Runs the work that follows an ack; our own pool, so no request copy per listener.
    pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(8, thread_name_prefix="after-ack")
    )
    homes: Throttle = field(default_factory=Throttle)  # App Home rebuilds, per person
    settings: RecentSettings = field(init=False)  # for the checks before an ack

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", RecentSettings(self.ctx))


# Answers Slack; False: the request was refused (e.g. modal field errors), no work follows.
AckFn = Callable[[Ack, dict[str, Any], BoltContext], bool | None]
Work = Callable[..., None]  # (body, client, context, respond), wrapped by `lazy`


def ack_now(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()


def after_ack(deps: Deps, work: Work, ack_fn: AckFn = ack_now) -> Callable[..., None]:
    """One Bolt listener: answer Slack with `ack_fn`, then hand `work` to the pool.

    With process_before_response, Bolt sends the ack as soon as this returns.
    """

    def listener(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        if ack_fn(ack, body, context) is False:
            return
        deps.pool.submit(work, body=body, client=client, context=context, respond=respond)

    return listener


def actor_of(context: BoltContext, body: dict[str, Any]) -> Actor:
    """The acting user, scoped to the team the request came from."""
    team = context.team_id or (body.get("team") or {}).get("id") or body.get("team_id")
    user = context.user_id or (body.get("user") or {}).get("id") or body.get("user_id")
    return Actor(str(team), str(user))


def channel_of(body: dict[str, Any]) -> str | None:
    return (
        body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
    )


def reply_privately(kwargs: dict[str, Any], message: Message) -> None:
    """Ephemeral via response_url when there is one, else a DM from the bot."""
    body, client = kwargs.get("body") or {}, kwargs.get("client")
    respond = kwargs.get("respond")
    if respond is not None and (body.get("response_url") or body.get("response_urls")):
        respond(response_type="ephemeral", replace_original=False, **message.payload())
        return
    user = actor_of(kwargs["context"], body).user_id
    if client is not None:
        client.chat_postMessage(channel=user, **message.payload())


lazy = guarded(reply_privately)


def publish_home(client: WebClient, deps: Deps, actor: Actor) -> None:
    """Refresh someone's App Home after a change that affects it (at most once a
    second each: changes in a burst fold into one refresh at the end)."""
    deps.homes.request(
        (actor.team_id, actor.user_id), lambda: publish_home_now(client, deps, actor)
    )


def publish_home_now(client: WebClient, deps: Deps, actor: Actor) -> None:
    """Build and publish someone's App Home as it is now."""
    data = home(deps.ctx, actor, now=deps.clock())
    client.views_publish(user_id=actor.user_id, view=home_view(data).to_dict())


def dm(client: WebClient, user_id: str, message: Message) -> dict[str, Any]:
    response = client.chat_postMessage(channel=user_id, **message.payload())
    return response.data if isinstance(response.data, dict) else {}
