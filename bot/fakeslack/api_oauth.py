"""Slack's side of an OAuth install: the user approves on Slack's authorize page, and the
app trades the code (later, a refresh token) for a bot token with `oauth.v2.access`.

    provider = FakeOAuth(fake, rotation=True)    # SLACK_CLIENT_ID/SECRET=provider.client_*
    query = provider.approve(authorize_url, "T0001", "UADMIN01")   # {"code":…, "state":…}

With `rotation`, tokens are `xoxe.xoxb-…` that expire after `expires_in` seconds and are
refreshed with `grant_type=refresh_token`; a refresh replaces the workspace's token, so
the old one stops working at once (stricter than Slack, which honours it until expiry).
"""

import base64
import secrets
import threading
import time
from urllib.parse import parse_qs, urlsplit

from bot.fakeslack.httpd import Reply, Request
from bot.fakeslack.records import APP_ID, Call, Json
from bot.fakeslack.server import FakeSlack

METHOD = "oauth.v2.access"


class FakeOAuth:
    def __init__(
        self, fake: FakeSlack, *, rotation: bool = False, expires_in: int = 43_200
    ) -> None:
        self.fake, self.rotation, self.expires_in = fake, rotation, expires_in
        self.client_id = f"{secrets.randbelow(10**12)}.{secrets.randbelow(10**12)}"
        self.client_secret = secrets.token_hex(16)
        self._lock = threading.Lock()
        self._codes: dict[str, tuple[str, str, str]] = {}  # code -> (team, user, scope)
        self._refresh: dict[str, str] = {}  # refresh token -> team
        self.delay_s = 0.0  # a slow Slack: each oauth.v2.access answer waits this long
        fake.add_route("POST", f"/api/{METHOD}", self._access)

    def approve(self, authorize_url: str, team_id: str, user_id: str) -> dict[str, str]:
        """The user clicks Allow: the query Slack redirects back with (code and state)."""
        query = {k: v[-1] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        if query.get("client_id") != self.client_id:
            raise ValueError(f"authorize URL for another app: {authorize_url}")
        code = secrets.token_hex(12)
        with self._lock:
            self._codes[code] = (team_id, user_id, query.get("scope", ""))
        return {"code": code, "state": query.get("state", "")}

    # -- oauth.v2.access ------------------------------------------------------------------

    def _access(self, request: Request) -> Reply:
        time.sleep(self.delay_s)
        params = request.params()
        if not self._client_ok(request, params):
            body: Json = {"ok": False, "error": "invalid_client_id"}
        elif params.get("grant_type") == "refresh_token":
            body = self._refreshed(str(params.get("refresh_token") or ""))
        else:
            body = self._installed(str(params.get("code") or ""))
        safe = {k: v for k, v in params.items() if k not in ("client_secret", "code")}
        team_id = (body.get("team") or {}).get("id")
        self.fake.state.record_call(
            Call(METHOD, safe, self.fake.state.clock(), team_id, None, 200, body)
        )
        return Reply.json(body)

    def _client_ok(self, request: Request, params: Json) -> bool:
        """Client id and secret, in HTTP Basic auth (slack_sdk's way) or in the form."""
        auth = request.headers.get("authorization", "")
        if auth.startswith("Basic "):
            given = base64.b64decode(auth.removeprefix("Basic ")).decode()
            client_id, _, secret = given.partition(":")
        else:
            client_id, secret = params.get("client_id", ""), params.get("client_secret", "")
        return client_id == self.client_id and secret == self.client_secret

    def _installed(self, code: str) -> Json:
        with self._lock:
            found = self._codes.pop(code, None)  # a code works once
        if found is None:
            return {"ok": False, "error": "invalid_code"}
        team_id, user_id, scope = found
        return {"scope": scope, "authed_user": {"id": user_id}, **self._token_for(team_id)}

    def _refreshed(self, refresh_token: str) -> Json:
        with self._lock:
            team_id = self._refresh.get(refresh_token)
        if team_id is None:
            return {"ok": False, "error": "invalid_refresh_token"}
        return self._token_for(team_id, refresh_token)

    def _token_for(self, team_id: str, refresh_token: str | None = None) -> Json:
        state = self.fake.state
        with state.mutating():
            team = state.teams[team_id]
            if self.rotation:
                team.bot_token = f"xoxe.xoxb-1-{secrets.token_hex(12)}"
            token, bot_user = team.bot_token, team.bot_user_id
            name = team.name
        body: Json = {
            "ok": True,
            "access_token": token,
            "token_type": "bot",
            "bot_user_id": bot_user,
            "app_id": APP_ID,
            "team": {"id": team_id, "name": name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if self.rotation:
            refresh_token = refresh_token or f"xoxe-1-{secrets.token_hex(16)}"
            with self._lock:
                self._refresh[refresh_token] = team_id
            body |= {"refresh_token": refresh_token, "expires_in": self.expires_in}
        return body
