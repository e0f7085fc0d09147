"""Life event kinds: the closed list of SPEC §2, with labels and sensitivity."""

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    BIRTHDAY = "birthday"
    NEW_BABY = "new_baby"
    WEDDING = "wedding"
    NEW_JOB = "new_job"
    NEW_HOME = "new_home"
    GRADUATION = "graduation"
    ANNIVERSARY = "anniversary"
    RECOVERY = "recovery"
    BEREAVEMENT = "bereavement"
    SERVICE_RECOVERY = "service_recovery"
    OTHER = "other"


@dataclass(frozen=True)
class KindInfo:
    label: str
    sensitive: bool = False
    recurring_by_default: bool = False


KINDS: dict[EventKind, KindInfo] = {
    EventKind.BIRTHDAY: KindInfo("Birthday", recurring_by_default=True),
    EventKind.NEW_BABY: KindInfo("New baby"),
    EventKind.WEDDING: KindInfo("Wedding or engagement"),
    EventKind.NEW_JOB: KindInfo("New job or promotion"),
    EventKind.NEW_HOME: KindInfo("New home"),
    EventKind.GRADUATION: KindInfo("Graduation"),
    EventKind.ANNIVERSARY: KindInfo("Customer anniversary", recurring_by_default=True),
    EventKind.RECOVERY: KindInfo("Illness or recovery", sensitive=True),
    EventKind.BEREAVEMENT: KindInfo("Bereavement", sensitive=True),
    EventKind.SERVICE_RECOVERY: KindInfo("Bad experience with us"),
    EventKind.OTHER: KindInfo("Other"),
}


def label(kind: EventKind) -> str:
    return KINDS[kind].label


def is_sensitive(kind: EventKind) -> bool:
    return KINDS[kind].sensitive


def recurs_by_default(kind: EventKind) -> bool:
    return KINDS[kind].recurring_by_default
