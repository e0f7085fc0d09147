"""Sample data on request: customers, events of several kinds, perks in every state a click
can make (auto-approved, pending, approved, rejected, cancelled), and a note-only event, so
App Home and the digest have something to show. Moving the clock 3 days expires a pending one."""

from datetime import timedelta

from bot.fakeslack.client import SlackClient
from bot.sandbox import people_steps as do
from bot.sandbox.clock import SandboxClock
from bot.sandbox.demo import JONAS, MAYA, PRIYA, RILEY, SAM, YUKI

YES = ["yes"]


def make(slack: SlackClient, clock: SandboxClock) -> int:
    """Plays the sample through Perkbot; returns how many events it logged."""
    soon = (clock.now() + timedelta(days=10)).date().isoformat()
    do.log_event(slack, RILEY.id, "Grace Hopper", "new_job", Company="Compilers Inc")
    do.propose(slack, RILEY.id, "Grace Hopper", "20", "Congratulations card and chocolates")

    do.log_event(slack, SAM.id, "Alan Turing", "service_recovery", **{"Issue resolved": YES})
    do.propose(slack, SAM.id, "Alan Turing", "45", "Replacement with express shipping")
    do.decide(slack, MAYA.id, "Alan Turing", "Approve")

    do.log_event(slack, PRIYA.id, "Katherine Johnson", "wedding", Company="NACA")
    do.propose(slack, PRIYA.id, "Katherine Johnson", "90", "Champagne glasses")
    do.decide(slack, JONAS.id, "Katherine Johnson", "Reject", "A little much: a card and flowers?")

    do.log_event(slack, RILEY.id, "Edsger Dijkstra", "graduation", Company="Eindhoven Labs")
    do.propose(slack, RILEY.id, "Edsger Dijkstra", "30", "A fountain pen")
    do.click(
        slack,
        RILEY.id,
        do.dm_message(slack, RILEY.id, "fountain pen", "Cancel proposal"),
        "Cancel proposal",
    )

    do.log_event(slack, YUKI.id, "Margaret Hamilton", "new_home", Company="Apollo Systems")
    do.propose(
        slack, YUKI.id, "Margaret Hamilton", "40", "A house plant"
    )  # waits in #perk-approvals

    do.log_event(slack, SAM.id, "Ada Lovelace", "new_baby", Company="Analytical Engines")
    do.propose(slack, SAM.id, "Ada Lovelace", "60", "Baby blanket")  # waits for Maya

    do.log_event(
        slack,
        PRIYA.id,
        "Barbara Liskov",
        "birthday",
        Company="MIT",
        Date=soon,
        **{"Just a note": YES},
    )
    return 7
