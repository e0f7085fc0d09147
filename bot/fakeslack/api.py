"""The fake Web API: authenticate the bot token, route to the method, answer like Slack.

Methods not listed here answer `unknown_method`, as Slack does for a typo, so a call the
fake does not model fails the test loudly instead of passing by accident.
"""

import base64

from bot.fakeslack import api_chat, api_files, api_views
from bot.fakeslack.api_context import ApiError, Ctx, Handler
from bot.fakeslack.records import Channel, Json, Team
from bot.fakeslack.state import Workspace


def auth_test(ctx: Ctx) -> Json:
    team = ctx.team
    return {
        "url": f"https://{team.domain}.slack.com/",
        "team": team.name,
        "user": "perkbot",
        "team_id": team.id,
        "user_id": team.bot_user_id,
        "bot_id": team.bot_id,
        "app_id": team.app_id,
        "is_enterprise_install": False,
    }


def team_info(ctx: Ctx) -> Json:
    return {"team": ctx.team.to_api()}


def users_info(ctx: Ctx) -> Json:
    user = ctx.state.users.get(ctx.arg("user"))
    if user is None or user.team_id != ctx.team.id:
        raise ApiError("user_not_found")
    return {"user": user.to_api(ctx.state.clock())}


def _page(ctx: Ctx, items: list[Json], key: str) -> Json:
    """Cursor pagination as Slack does it: opaque next_cursor, empty on the last page."""
    try:
        cursor = ctx.opt("cursor")
        start = int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0
        limit = int(ctx.opt("limit") or 0) or len(items) or 1
    except (ValueError, IndexError) as e:
        raise ApiError("invalid_cursor") from e
    page, end = items[start : start + limit], start + limit
    next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
    return {key: page, "response_metadata": {"next_cursor": next_cursor}}


def users_list(ctx: Ctx) -> Json:
    now = ctx.state.clock()
    members = [u.to_api(now) for u in ctx.state.users.values() if u.team_id == ctx.team.id]
    return _page(ctx, members, "members")


def conversations_info(ctx: Ctx) -> Json:
    return {"channel": ctx.channel().to_api(ctx.team.bot_user_id)}


def conversations_open(ctx: Ctx) -> Json:
    if ctx.opt("channel"):
        channel, already = ctx.channel(), True
    else:
        user_ids = [u.strip() for u in ctx.arg("users").split(",") if u.strip()]
        users = [ctx.user_by_id(u) for u in user_ids]
        if any(u.is_bot for u in users):
            raise ApiError("cannot_dm_bot")
        if len(users) == 1:
            channel, already = ctx.state.open_dm(ctx.team.id, users[0].id)
        else:
            channel, already = _open_group(ctx, sorted(u.id for u in users))
    if ctx.flag("return_im") or not channel.is_im:
        shown = channel.to_api(ctx.team.bot_user_id)
    else:
        shown = {"id": channel.id}
    return {"channel": shown} | ({"no_op": True, "already_open": True} if already else {})


def _open_group(ctx: Ctx, user_ids: list[str]) -> tuple[Channel, bool]:
    members = {*user_ids, ctx.team.bot_user_id}
    for channel in ctx.state.channels.values():
        if channel.is_mpim and channel.team_id == ctx.team.id and channel.members == members:
            return channel, True
    name = "mpdm-" + "--".join(ctx.state.users[u].name for u in user_ids) + "-1"
    group = Channel(ctx.state.next_id("G"), ctx.team.id, name, members, is_mpim=True)
    return ctx.state.add_channel(group), False


METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "team.info": team_info,
    "users.info": users_info,
    "users.list": users_list,
    "conversations.info": conversations_info,
    "conversations.open": conversations_open,
    **api_chat.METHODS,
    **api_views.METHODS,
    **api_files.METHODS,
}


def call_method(
    state: Workspace, method: str, params: Json, token: str | None, base_url: str
) -> tuple[Json, Team | None]:
    """Run one Web API method; the answer is Slack's JSON body (always HTTP 200)."""
    handler = METHODS.get(method)
    if handler is None:
        return {"ok": False, "error": "unknown_method"}, None
    if not token:
        return {"ok": False, "error": "not_authed"}, None
    team = state.team_for_token(token)
    if team is None:
        return {"ok": False, "error": "invalid_auth"}, None
    try:
        with state.mutating():  # one method, one atomic change
            body = handler(Ctx(state, team, dict(params), base_url))
    except ApiError as e:
        return e.body(), team
    return {"ok": True, **body}, team
