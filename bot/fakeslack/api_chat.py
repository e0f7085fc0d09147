"""chat.* methods and response_url answers, with Slack's errors and Block Kit limits."""

from typing import Any

from bot.fakeslack.api_context import ApiError, Ctx, Handler
from bot.fakeslack.limits import check_message, response_metadata
from bot.fakeslack.records import Channel, Ephemeral, Json, Message, ResponseUrl
from bot.fakeslack.state import Workspace

RESPONSE_URL_USES = 5
RESPONSE_URL_LIFETIME = 30 * 60.0


def _content(ctx: Ctx, *, keep: Message | None = None) -> tuple[str, list[Json], list[Json]]:
    """text, blocks, attachments from the call. chat.update keeps the blocks or attachments it
    does not send, and the text only when it sends neither text nor blocks: new blocks with the
    old fallback text would tell notifications and screen readers something stale."""
    present = ctx.params.keys()
    kept_text = keep is not None and not {"text", "blocks"} & set(present)
    text = keep.text if keep is not None and kept_text else str(ctx.params.get("text") or "")
    blocks = ctx.json_arg("blocks", "invalid_blocks_format")
    attachments = ctx.json_arg("attachments")
    if keep is not None:
        blocks = keep.blocks if "blocks" not in present else blocks
        attachments = keep.attachments if "attachments" not in present else attachments
    if blocks is not None and not isinstance(blocks, list):
        raise ApiError("invalid_blocks_format")
    if problems := check_message(text, blocks, attachments):
        raise ApiError.from_problems(problems)
    return text, blocks or [], attachments or []


def _writable(ctx: Ctx, channel: Channel) -> None:
    if channel.is_archived:
        raise ApiError("is_archived")
    if channel.is_private and ctx.team.bot_user_id not in channel.members:
        raise ApiError("not_in_channel")


def _own_message(ctx: Ctx, channel: Channel, ts_arg: str, error: str) -> Message:
    message = ctx.state._find(channel.id, ctx.arg(ts_arg))
    if message is None:
        raise ApiError("message_not_found")
    if message.bot_id != ctx.team.bot_id:
        raise ApiError(error)
    return message


def _warnings(text: str, blocks: list[Json]) -> Json:
    # Slack accepts blocks without a text fallback but warns; notifications then show nothing.
    if blocks and not text:
        return {"warning": "missing_text", "response_metadata": {"warnings": ["missing_text"]}}
    return {}


def post_message(ctx: Ctx) -> Json:
    channel = ctx.channel(allow_user=True)
    _writable(ctx, channel)
    text, blocks, attachments = _content(ctx)
    metadata = ctx.json_arg("metadata")
    message = ctx.state.post_message(
        Message(
            channel=channel.id,
            ts="",
            team_id=ctx.team.id,
            text=text,
            blocks=blocks,
            user=ctx.team.bot_user_id,
            bot_id=ctx.team.bot_id,
            thread_ts=ctx.opt("thread_ts"),
            attachments=attachments,
            metadata=metadata if isinstance(metadata, dict) else None,
        )
    )
    body = {"channel": channel.id, "ts": message.ts, "message": message.to_api()}
    return body | _warnings(text, blocks)


def post_ephemeral(ctx: Ctx) -> Json:
    channel = ctx.channel()
    user = ctx.user()
    if user.id not in channel.members:
        raise ApiError("user_not_in_channel")
    text, blocks, _ = _content(ctx)
    ephemeral = Ephemeral(channel.id, user.id, "", ctx.team.id, text, blocks, ctx.opt("thread_ts"))
    return {"message_ts": ctx.state.post_ephemeral(ephemeral).ts} | _warnings(text, blocks)


def update(ctx: Ctx) -> Json:
    channel = ctx.channel()
    message = _own_message(ctx, channel, "ts", "cant_update_message")
    text, blocks, attachments = _content(ctx, keep=message)
    updated = ctx.state.update_message(
        channel.id,
        message.ts,
        ctx.team.bot_user_id,
        text=text,
        blocks=blocks,
        attachments=attachments,
    )
    body = {"channel": channel.id, "ts": updated.ts, "text": text, "message": updated.to_api()}
    return body | _warnings(text, blocks)


def delete(ctx: Ctx) -> Json:
    channel = ctx.channel()
    message = _own_message(ctx, channel, "ts", "cant_delete_message")
    ctx.state.delete_message(channel.id, message.ts)
    return {"channel": channel.id, "ts": message.ts}


def get_permalink(ctx: Ctx) -> Json:
    channel = ctx.channel()
    ts = ctx.arg("message_ts")
    if ctx.state._find(channel.id, ts) is None:
        raise ApiError("message_not_found")
    link = f"https://{ctx.team.domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
    return {"channel": channel.id, "permalink": link}


METHODS: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update,
    "chat.delete": delete,
    "chat.getPermalink": get_permalink,
}


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _answer(
    state: Workspace,
    record: ResponseUrl,
    original: str | None,
    body: Json,
    *,
    delete: bool,
    replace: bool,
) -> None:
    team = state.teams[record.team_id]
    text, blocks = str(body.get("text") or ""), body.get("blocks") or []
    if original and delete:
        if record.ephemeral:
            state.delete_ephemeral(record.channel, original)
        else:
            state.delete_message(record.channel, original)
    elif original and replace and record.ephemeral:
        state.replace_ephemeral(record.channel, original, text, blocks)
    elif original and replace:
        attachments = body.get("attachments") or []
        state.update_message(
            record.channel,
            original,
            team.bot_user_id,
            text=text,
            blocks=blocks,
            attachments=attachments,
        )
    elif body.get("response_type") == "in_channel":
        thread_ts = body.get("thread_ts")
        state.post_message(
            Message(
                record.channel,
                "",
                team.id,
                text,
                blocks,
                team.bot_user_id,
                team.bot_id,
                thread_ts=thread_ts,
            )
        )
    else:
        state.post_ephemeral(Ephemeral(record.channel, record.user_id, "", team.id, text, blocks))


def answer_response_url(state: Workspace, url_id: str, body: Json) -> tuple[int, Json]:
    """POST to a response_url: a new ephemeral or in_channel message, or the original
    message replaced or deleted. Five uses within thirty minutes, as in Slack."""
    with state.mutating():
        record = state.response_urls.get(url_id)
        if record is None:
            return 404, {"ok": False, "error": "no_service"}
        if state.clock() - record.created > RESPONSE_URL_LIFETIME:
            return 404, {"ok": False, "error": "expired_url"}
        if record.uses >= RESPONSE_URL_USES:
            return 404, {"ok": False, "error": "used_url"}
        original = record.message_ts
        if original and not (
            state._find_ephemeral(record.channel, original)
            if record.ephemeral
            else state._find(record.channel, original)
        ):
            original = None  # already deleted
        replace = _truthy(body.get("replace_original"))
        delete = _truthy(body.get("delete_original"))
        if (replace or delete) and original is None:
            return 404, {"ok": False, "error": "message_not_found"}
        text, blocks = str(body.get("text") or ""), body.get("blocks") or []
        if not delete and (problems := check_message(text, blocks, body.get("attachments"))):
            return 400, response_metadata(problems)
        record.uses += 1
        _answer(state, record, original, body, delete=delete, replace=replace)
        return 200, {"ok": True}
