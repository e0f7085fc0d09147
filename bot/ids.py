"""Every callback_id, action_id and input block_id Perkbot uses, as enums.

Input block ids equal the domain's error `field` names, so a PerkError's field
maps straight onto the modal input that shows it.
"""

from enum import StrEnum

COMMAND = "/perk"  # the slash command (SPEC §3)
JOBS = ("reminders", "escalations", "recurring", "digest", "retention")  # the scheduled passes


class Callback(StrEnum):
    LOG_EVENT = "log_event"
    PROPOSE = "propose_perk"
    REJECT = "reject_perk"
    SKIP_NOTE = "skip_note"
    SETTINGS = "perkbot_settings"
    NO_GIFTS = "no_gifts"
    SHORTCUT = "log_life_event"  # the message shortcut (SPEC §3)


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    CANCEL = "cancel_proposal"
    NOTE_SENT = "note_sent"
    NOTE_SNOOZE = "note_snooze"
    NOTE_SKIP = "note_skip"
    PROPOSE_FOR_EVENT = "propose_for_event"
    MARK_RESOLVED = "mark_resolved"
    NO_GIFTS = "no_gifts"
    ALLOW_GIFTS = "allow_gifts"
    OPEN_EVENT = "open_event"
    OPEN_PROPOSE = "open_propose"
    SHOW_BUDGET = "show_budget"
    SHOW_NOTES = "show_notes"
    FORGET = "forget_customer"
    # Inputs that tell Perkbot about a change while the modal is open.
    PICK_CUSTOMER = "pick_customer"
    PICK_PERK = "pick_perk"
    PICK_KIND = "pick_kind"
    INPUT = "value"  # the single element inside an input block


class Field(StrEnum):
    """Input block ids (= domain error fields)."""

    CUSTOMER = "customer"
    COMPANY = "company"
    KIND = "kind"
    DATE = "date"
    NOTES = "notes"
    RECURRING = "recurring"
    RESOLVED = "resolved"
    JUST_A_NOTE = "just_a_note"
    EVENT = "event"
    PERK = "perk"
    AMOUNT = "amount"
    DESCRIPTION = "description"
    HANDWRITTEN_NOTE = "handwritten_note"
    NOTE_IDEA = "note_idea"
    REASON = "reason"
    MANAGERS = "managers"
    APPROVALS_CHANNEL = "approvals_channel"
    DIGEST_CHANNEL = "digest_channel"
    CURRENCY = "currency"
    BUDGET_PERIOD = "budget_period"
    TEAM_BUDGET = "team_budget"
    REP_ALLOWANCE = "rep_allowance"
    AUTO_APPROVE_LIMIT = "auto_approve_limit"
    CUSTOMER_CAP = "customer_cap"
    MAX_PERK = "max_perk"
    TIMEZONE = "timezone"
    DIGEST_DAY = "digest_day"
    DIGEST_TIME = "digest_time"
