"""Modal stacks and App Home tabs of the fake workspace (a part of `Workspace`).

Slack keeps, per user, a stack of at most three modals (open, push, update in place, close
the top one, clear them all) and one Home tab view that `views.publish` replaces.
"""

import copy
from collections.abc import Callable
from typing import Any

from bot.fakeslack.clock import Clock
from bot.fakeslack.eventlog import EventLog
from bot.fakeslack.records import Json, View, with_ids

MAX_STACK = 3


class ViewsState(EventLog):
    # Provided by Workspace; declared here so the type checker knows what this part uses.
    next_id: Callable[[str], str]
    new_hash: Callable[[], str]

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self.views: dict[str, View] = {}
        self._stacks: dict[tuple[str, str], list[str]] = {}
        self._homes: dict[tuple[str, str], str] = {}

    def _new_view(self, team_id: str, user_id: str, body: Json, **extra: Any) -> View:
        body = copy.deepcopy(body)
        with_ids(body.get("blocks"))
        view = View(
            id=self.next_id("V"),
            team_id=team_id,
            user_id=user_id,
            type=str(body.get("type", "modal")),
            body=body,
            hash=self.new_hash(),
            external_id=body.get("external_id") or None,
            **extra,
        )
        self.views[view.id] = view
        return view

    def view(self, view_id: str) -> View | None:
        with self._cond:
            return copy.deepcopy(self.views.get(view_id))

    def view_by_external_id(self, team_id: str, external_id: str) -> View | None:
        with self._cond:
            found = (
                v
                for v in self.views.values()
                if v.team_id == team_id and v.external_id == external_id and not v.closed
            )
            return copy.deepcopy(next(found, None))

    def modal_stack(self, team_id: str, user_id: str) -> list[View]:
        """The user's open modals, bottom first; the last one is what they see."""
        with self._cond:
            ids = self._stacks.get((team_id, user_id), [])
            return [copy.deepcopy(self.views[i]) for i in ids]

    def home(self, team_id: str, user_id: str) -> View | None:
        with self._cond:
            view_id = self._homes.get((team_id, user_id))
            return copy.deepcopy(self.views[view_id]) if view_id else None

    def open_modal(self, team_id: str, user_id: str, body: Json) -> View:
        """views.open: a new stack with this modal alone (any open ones are replaced)."""
        with self.mutating():
            for old in self._stacks.get((team_id, user_id), []):
                self.views[old].closed = True
            view = self._new_view(team_id, user_id, body)
            self._stacks[(team_id, user_id)] = [view.id]
            self.emit("view.opened", view=view.id, user=user_id, callback_id=view.callback_id)
            return copy.deepcopy(view)

    def push_modal(self, team_id: str, user_id: str, body: Json) -> View | None:
        """views.push / response_action push; None when the stack is already full."""
        with self.mutating():
            stack = self._stacks.get((team_id, user_id), [])
            if not stack or len(stack) >= MAX_STACK:
                return None
            view = self._new_view(
                team_id, user_id, body, root_view_id=stack[0], previous_view_id=stack[-1]
            )
            stack.append(view.id)
            self.emit("view.pushed", view=view.id, user=user_id, callback_id=view.callback_id)
            return copy.deepcopy(view)

    def update_view(self, view_id: str, body: Json) -> View:
        """views.update / response_action update: same id and place, new content and hash."""
        with self.mutating():
            view = self.views[view_id]
            view.body = copy.deepcopy(body)
            with_ids(view.body.get("blocks"))
            view.type = str(body.get("type", view.type))
            view.hash = self.new_hash()
            view.external_id = body.get("external_id") or view.external_id
            view.values, view.errors = {}, {}
            self.emit("view.updated", view=view.id, user=view.user_id)
            return copy.deepcopy(view)

    def close_modal(self, view_id: str) -> None:
        """Submit without response_action, or the user's Close: that modal and any above it go."""
        with self.mutating():
            view = self.views[view_id]
            stack = self._stacks.get((view.team_id, view.user_id), [])
            if view_id in stack:
                for gone in stack[stack.index(view_id) :]:
                    self.views[gone].closed = True
                del stack[stack.index(view_id) :]
            view.closed = True
            self.emit("view.closed", view=view_id, user=view.user_id)

    def clear_modals(self, team_id: str, user_id: str) -> None:
        with self.mutating():
            for view_id in self._stacks.pop((team_id, user_id), []):
                self.views[view_id].closed = True
            self.emit("view.cleared", user=user_id)

    def publish_home(self, team_id: str, user_id: str, body: Json) -> View:
        with self.mutating():
            view_id = self._homes.get((team_id, user_id))
            if view_id is None:
                view = self._new_view(team_id, user_id, body)
                self._homes[(team_id, user_id)] = view.id
            else:
                view = self.views[view_id]
                view.body, view.hash, view.values = copy.deepcopy(body), self.new_hash(), {}
                with_ids(view.body.get("blocks"))
            self.emit("home.published", view=view.id, user=user_id)
            return copy.deepcopy(view)

    def set_view_state(
        self, view_id: str, values: Json | None = None, errors: dict[str, str] | None = None
    ) -> None:
        """What the user typed (state.values) and the errors the app asked Slack to show."""
        with self.mutating():
            view = self.views[view_id]
            if values is not None:
                view.values = copy.deepcopy(values)
            if errors is not None:
                view.errors = dict(errors)
            self.emit("view.state", view=view_id, user=view.user_id, errors=view.errors)
