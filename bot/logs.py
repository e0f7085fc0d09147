"""Logging set-up from LOG_LEVEL and LOG_FORMAT (text or one JSON object per line).

Perkbot logs ids, kinds and counts, never what people typed (customer names, notes),
so INFO logs hold nothing personal. Slack tokens are masked here as a last line of
defence, in messages and traces alike, whatever logged them.
"""

import json
import logging
import re
import sys
import threading
from datetime import UTC, datetime

_TOKEN = re.compile(r"\b(xox[abeoprs]|xapp)-[A-Za-z0-9-]+")


def redact(text: str) -> str:
    """Slack tokens (bot, user, app-level, refresh) with their secret part masked."""
    return _TOKEN.sub(r"\1-…redacted", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["trace"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure(level: str, fmt: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Python warnings and crashes of background threads go through the same format,
    # so a JSON log stays one object per line.
    logging.captureWarnings(True)
    threading.excepthook = _log_thread_crash


def _log_thread_crash(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread else "?"
    logging.getLogger("perkbot").error(
        "thread %s crashed", name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback)
    )
