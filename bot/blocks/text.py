"""Text for mrkdwn: escaping what users typed, and truncating to Slack's limits."""

from datetime import datetime

ELLIPSIS = "…"


def escape(text: str | None) -> str:
    """Escape &, < and > (only those, as Slack asks) so typed text can't ping or link."""
    if not text:
        return ""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, ending in … when cut. Never cuts an &entity; in half."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ELLIPSIS


def plain(text: str | None, limit: int) -> str:
    """Plain text (not mrkdwn) for labels, buttons and options: never empty."""
    text = " ".join((text or "").split())
    return truncate(text, limit) or "–"


def user(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "someone"


def channel(channel_id: str | None) -> str:
    return f"<#{channel_id}>" if channel_id else "—"


def quote(text: str, limit: int) -> str:
    """A user's words as an mrkdwn block quote, escaped and truncated."""
    body = truncate(escape(text.strip()), limit - 2)
    return "\n".join(f">{line}" for line in body.splitlines()) or ">"


def when(moment: datetime) -> str:
    """A datetime shown in each reader's own timezone by Slack's date formatting."""
    ts = int(moment.timestamp())
    return f"<!date^{ts}^{{date_short_pretty}} at {{time}}|{moment:%Y-%m-%d %H:%M} UTC>"
