"""views.* methods: modals opened from a trigger (valid 3 s, used once), pushed, updated
with optional hash checks, and Home tabs published per user."""

from bot.fakeslack.api_context import ApiError, Ctx, Handler
from bot.fakeslack.limits import check_view
from bot.fakeslack.records import Json, Trigger, View

TRIGGER_LIFETIME = 3.0


def _view_arg(ctx: Ctx, expected_type: str | None) -> Json:
    view = ctx.json_arg("view")
    if problems := check_view(view, expected_type=expected_type):
        raise ApiError.from_problems(problems)
    return view


def _use_trigger(ctx: Ctx) -> Trigger:
    trigger = ctx.state.triggers.get(ctx.arg("trigger_id"))
    if trigger is None or trigger.team_id != ctx.team.id:
        raise ApiError("invalid_trigger_id")
    if trigger.used:
        raise ApiError("exchanged_trigger_id")
    if ctx.state.clock() - trigger.created > TRIGGER_LIFETIME:
        raise ApiError("expired_trigger_id")
    trigger.used = True
    return trigger


def _answer(ctx: Ctx, view: View) -> Json:
    return {"view": view.to_api(ctx.team.bot_id)}


def _check_external_id(ctx: Ctx, view: Json) -> None:
    if (external_id := view.get("external_id")) and ctx.state.view_by_external_id(
        ctx.team.id, external_id
    ):
        raise ApiError("duplicate_external_id")


def views_open(ctx: Ctx) -> Json:
    view = _view_arg(ctx, "modal")
    _check_external_id(ctx, view)
    trigger = _use_trigger(ctx)
    return _answer(ctx, ctx.state.open_modal(ctx.team.id, trigger.user_id, view))


def views_push(ctx: Ctx) -> Json:
    view = _view_arg(ctx, "modal")
    _check_external_id(ctx, view)
    trigger = _use_trigger(ctx)
    if not ctx.state.modal_stack(ctx.team.id, trigger.user_id):
        raise ApiError("not_found")
    pushed = ctx.state.push_modal(ctx.team.id, trigger.user_id, view)
    if pushed is None:
        raise ApiError("push_limit_reached")
    return _answer(ctx, pushed)


def views_update(ctx: Ctx) -> Json:
    if external_id := ctx.opt("external_id"):
        current = ctx.state.view_by_external_id(ctx.team.id, external_id)
    elif view_id := ctx.opt("view_id"):
        current = ctx.state.view(view_id)
    else:
        raise ApiError.invalid_arguments("either view_id or external_id is required")
    if current is None or current.team_id != ctx.team.id or current.closed:
        raise ApiError("not_found")
    view = _view_arg(ctx, current.type)
    if (given := ctx.opt("hash")) and given != current.hash:
        raise ApiError("hash_conflict")
    return _answer(ctx, ctx.state.update_view(current.id, view))


def views_publish(ctx: Ctx) -> Json:
    user = ctx.user("user_id")
    view = _view_arg(ctx, "home")
    current = ctx.state.home(ctx.team.id, user.id)
    if (given := ctx.opt("hash")) and current is not None and given != current.hash:
        raise ApiError("hash_conflict")
    return _answer(ctx, ctx.state.publish_home(ctx.team.id, user.id, view))


METHODS: dict[str, Handler] = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
