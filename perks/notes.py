"""Handwritten notes: suggested wording per life event, and note task states.

The wording is plain text; escaping for mrkdwn is the Slack layer's job.
"""

from enum import StrEnum

from perks.kinds import EventKind

MAX_OVERDUE_REMINDERS = 3
DEFAULT_DUE_BUSINESS_DAYS = 2
MAX_WORDING_CHARS = 1000
_MAX_FIRST_NAME_CHARS = 200


class NoteStatus(StrEnum):
    OPEN = "open"
    SENT = "sent"
    SKIPPED = "skipped"


# (body, sign-off) per kind. A note is a gift, never a sales tactic: no
# congratulation formula, no exclamation marks, nothing that reads as an offer.
_WORDING: dict[EventKind, tuple[str, str]] = {
    EventKind.BIRTHDAY: (
        "Happy birthday. We hope your day is full of the people and things you love, "
        "and that the year ahead treats you kindly.",
        "Warm wishes,",
    ),
    EventKind.NEW_BABY: (
        "What wonderful news about your new arrival. We are so happy for you and your "
        "family, and wish you many joyful days (and a few good nights of sleep) together.",
        "With love and warm wishes,",
    ),
    EventKind.WEDDING: (
        "We were so happy to hear your news. Wishing you a lifetime of love, laughter "
        "and adventures together.",
        "With love and best wishes,",
    ),
    EventKind.NEW_JOB: (
        "We heard about your new role and are delighted for you. It is well earned, "
        "and we wish you every success in this next chapter.",
        "All the best,",
    ),
    EventKind.NEW_HOME: (
        "We hope your new home is already filling up with good moments. "
        "Wishing you many happy years there.",
        "Warm wishes,",
    ),
    EventKind.GRADUATION: (
        "What an achievement. All that hard work has paid off, and we are cheering "
        "you on as you start whatever comes next.",
        "With best wishes,",
    ),
    EventKind.ANNIVERSARY: (
        "Thank you for another year with us. It means so much that you chose to stay, "
        "and we are grateful for your trust.",
        "With thanks,",
    ),
    EventKind.RECOVERY: (
        "We were sorry to hear you have been unwell. We are thinking of you and hope "
        "each day brings a little more strength. Please take all the time you need.",
        "Take good care,",
    ),
    EventKind.BEREAVEMENT: (
        "We were so sorry to hear of your loss. Please accept our heartfelt sympathy. "
        "We are thinking of you and your family at this time.",
        "With deepest sympathy,",
    ),
    EventKind.SERVICE_RECOVERY: (
        "We are truly sorry that we let you down. Thank you for your patience, and for "
        "telling us: it helps us do better, and we are grateful you are still with us.",
        "With our apologies and thanks,",
    ),
    EventKind.OTHER: (
        "We just wanted to say thank you, and that we are thinking of you. "
        "It is a pleasure to know you.",
        "Warm wishes,",
    ),
}


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def _greeting(customer_name: str) -> str:
    tokens = customer_name.split()
    if not tokens:
        return "Hello,"
    return f"Dear {_truncate(tokens[0], _MAX_FIRST_NAME_CHARS)},"


def suggested_wording(kind: EventKind, customer_name: str, rep_words: str | None = None) -> str:
    """A short note to copy by hand, addressed to the customer's first name.

    Decision: the rep's own words (stripped, when not empty) become their own
    paragraph just before the sign-off, verbatim, so the note reads as one
    letter. They are truncated with "…" to keep the whole under MAX_WORDING_CHARS.
    """
    body, sign_off = _WORDING[kind]
    head = f"{_greeting(customer_name)}\n\n{body}\n\n"
    tail = sign_off
    own = (rep_words or "").strip()
    if own:
        room = MAX_WORDING_CHARS - len(head) - len(tail) - 2
        tail = f"{_truncate(own, room)}\n\n{sign_off}"
    return head + tail
