"""Typed private_metadata and button values (pydantic), never string-split."""

from typing import Self
from uuid import uuid4

from pydantic import BaseModel, Field

from bot import limits


def new_client_key() -> str:
    return uuid4().hex


class Meta(BaseModel):
    """Base: a compact JSON encoding that always fits Slack's 3000-char limit."""

    def dump(self) -> str:
        text = self.model_dump_json(exclude_none=True, exclude_defaults=True)
        if len(text) > limits.PRIVATE_METADATA:
            raise ValueError(f"{type(self).__name__} is too long for private_metadata")
        return text

    @classmethod
    def load(cls, text: str | None) -> Self:
        return cls.model_validate_json(text or "{}")


class EventModalMeta(Meta):
    client_key: str = Field(default_factory=new_client_key)
    channel: str | None = None  # where the command was typed, for the confirmation
    permalink: str | None = None  # from the message shortcut
    allow_duplicate: bool = False  # set once the rep has seen the earlier event


class ProposeModalMeta(Meta):
    client_key: str = Field(default_factory=new_client_key)
    channel: str | None = None
    customer_id: int | None = None
    event_id: int | None = None


class ProposalRef(Meta):
    """Button value / modal metadata naming a proposal (approve, reject, cancel)."""

    proposal_id: int
    # Where the clicked approval message lives, so a rejection can update it.
    channel: str | None = None
    ts: str | None = None


class NoteRef(Meta):
    task_id: int
    channel: str | None = None  # the note message, so a skip can update it
    ts: str | None = None


class EventRef(Meta):
    event_id: int


class CustomerRef(Meta):
    customer_id: int
