"""A local stand-in for Slack, for tests and the sandbox: the Web API over real HTTP
(`FakeSlack`) and a client that sends the app what Slack would send (`SlackClient`)."""

from bot.fakeslack.client import InvalidSubmission, SlackClient
from bot.fakeslack.clock import ManualClock
from bot.fakeslack.inputs import client_side_errors, default_values, fill
from bot.fakeslack.records import Call, Channel, Ephemeral, Event, Message, Team, User, View
from bot.fakeslack.server import FakeSlack
from bot.fakeslack.signing import AppReply

__all__ = [
    "AppReply",
    "Call",
    "Channel",
    "Ephemeral",
    "Event",
    "FakeSlack",
    "InvalidSubmission",
    "ManualClock",
    "Message",
    "SlackClient",
    "Team",
    "User",
    "View",
    "client_side_errors",
    "default_values",
    "fill",
]
