"""Posting to the app the way Slack does: HMAC-SHA256 signed bodies over real HTTP.

The signature is `v0=` + HMAC-SHA256(signing secret, "v0:{timestamp}:{body}"), sent with the
timestamp; tests vary the secret, the clock or leave the headers out to check rejection.
"""

import hashlib
import hmac
import http.client
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.fakeslack.answers import parse_body
from bot.fakeslack.records import Json

ACK_TIMEOUT = 3.0  # Slack shows the user an error and ignores answers later than this


@dataclass
class AppReply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: Any  # parsed JSON, or text
    elapsed: float  # seconds from sending to the whole answer
    raw: bytes = b""
    problems: list[str] = field(default_factory=list)  # what Slack would refuse in the answer

    @property
    def json(self) -> Json:
        return self.body if isinstance(self.body, dict) else {}

    @property
    def timed_out(self) -> bool:
        return self.elapsed > ACK_TIMEOUT


@dataclass(frozen=True)
class Signing:
    secret: str
    clock: Callable[[], float] = time.time  # the signer's clock, not the fake's
    sign: bool = True  # False: send no signature headers at all
    retry_num: int | None = None
    retry_reason: str | None = None

    def headers(self, body: bytes) -> dict[str, str]:
        if not self.sign:
            return {}
        timestamp = str(int(self.clock()))
        base = f"v0:{timestamp}:".encode() + body
        digest = hmac.new(self.secret.encode(), base, hashlib.sha256).hexdigest()
        headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}
        if self.retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(self.retry_num)
            headers["X-Slack-Retry-Reason"] = self.retry_reason or "http_timeout"
        return headers


def post(url: str, body: bytes, content_type: str, signing: Signing, timeout: float) -> AppReply:
    """POST a signed body; any HTTP status (401, 500...) comes back as a reply, not a raise."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    connection_type = http.client.HTTPSConnection if https else http.client.HTTPConnection
    connection = connection_type(parts.netloc, timeout=timeout)
    headers = {
        "Content-Type": content_type,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        **signing.headers(body),
    }
    started = time.perf_counter()
    try:
        connection.request("POST", parts.path or "/", body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    got = {k.lower(): v for k, v in response.getheaders()}
    return AppReply(
        response.status, got, parse_body(raw, got.get("content-type", "")), elapsed, raw
    )
