"""The external upload flow `WebClient.files_upload_v2` uses: get an upload URL, POST the
bytes there, then complete the upload, which shares the files into a channel."""

from bot.fakeslack.api_context import ApiError, Ctx, Handler
from bot.fakeslack.records import File, Json, Message
from bot.fakeslack.state import Workspace


def get_upload_url(ctx: Ctx) -> Json:
    filename = ctx.arg("filename")
    try:
        length = int(ctx.arg("length"))
    except ValueError as e:
        raise ApiError.invalid_arguments("length must be an integer") from e
    file = File(
        ctx.state.next_id("F"),
        ctx.team.id,
        filename,
        length,
        ctx.state.clock(),
        user=ctx.team.bot_user_id,
    )
    ctx.state.put_file(file, "file.reserved")
    return {"upload_url": f"{ctx.base_url}upload/{file.id}", "file_id": file.id}


def receive_upload(state: Workspace, file_id: str, data: bytes) -> tuple[int, str]:
    """The upload URL itself (files.slack.com in real life): plain text answers."""
    with state.mutating():
        file = state.files.get(file_id)
        if file is None:
            return 404, "file_not_found"
        file.content = data
        state.emit("file.uploaded", file=file_id, size=len(data))
        return 200, f"OK - {len(data)}"


def complete_upload(ctx: Ctx) -> Json:
    requested = ctx.json_arg("files")
    if not isinstance(requested, list) or not requested:
        raise ApiError.invalid_arguments("files must be a non-empty array")
    files: list[File] = []
    for item in requested:
        file = ctx.state.files.get(str(item.get("id") if isinstance(item, dict) else item))
        if file is None or file.team_id != ctx.team.id or file.content is None:
            raise ApiError("file_not_found")
        file.title = str(item.get("title") or file.name)
        files.append(file)
    targets = [c for c in (ctx.opt("channels") or "").split(",") if c]
    if ctx.opt("channel_id"):
        targets.insert(0, ctx.arg("channel_id"))
    for target in targets:
        ctx.params["channel"] = target
        channel = ctx.channel()
        message = Message(
            channel=channel.id,
            ts="",
            team_id=ctx.team.id,
            text=ctx.opt("initial_comment") or "",
            user=ctx.team.bot_user_id,
            bot_id=ctx.team.bot_id,
            thread_ts=ctx.opt("thread_ts"),
            files=[f.id for f in files],
        )
        ctx.state.post_message(message)
        for file in files:
            file.channels.append(channel.id)
    for file in files:
        file.completed = True
        ctx.state.put_file(file, "file.shared")
    return {"files": [f.to_api() for f in files]}


METHODS: dict[str, Handler] = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
}
