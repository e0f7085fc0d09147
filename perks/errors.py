"""Errors the domain raises. Every message is safe to show to the person who acted."""


class PerkError(Exception):
    """A refusal or bad input, with text a user can read.

    `field` names the form field at fault (a key of the form, e.g. "amount"),
    so the Slack layer can show it under that input of a modal.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(PerkError):
    """A value the user typed breaks a rule."""


class NotFound(PerkError):
    """The thing does not exist in this workspace (or never did for this team)."""


class NotAllowed(PerkError):
    """The actor's role does not allow this action."""


class Refused(PerkError):
    """A rule of the budget or policy refuses the action."""


class AlreadyDecided(PerkError):
    """Someone else (or the same person) got there first."""


class CatalogError(PerkError):
    """The catalog file is malformed."""
