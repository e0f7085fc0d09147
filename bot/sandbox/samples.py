"""Sample data on request: placeholder."""

from bot.fakeslack.client import SlackClient
from bot.sandbox.demo import Channels


def make(slack: SlackClient, channels: Channels) -> int:
    return 0
