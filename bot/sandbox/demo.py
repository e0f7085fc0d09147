"""The demo workspace: people in every role and timezone, the channels Perkbot uses, and
Perkbot configured the way an admin would, through `/perk settings` and `/perk team`."""

from dataclasses import dataclass

from bot.fakeslack.client import SlackClient
from bot.fakeslack.inputs import fill
from bot.fakeslack.server import FakeSlack


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    real_name: str
    role: str  # admin, manager or rep: what the switcher says
    tz: str
    manager: str | None = None


ADMIN = Person("UADMIN01", "alex", "Alex Rivera", "admin", "Europe/London")
MAYA = Person("UMGR0001", "maya", "Maya Chen", "manager", "America/New_York")
JONAS = Person("UMGR0002", "jonas", "Jonas Weber", "manager", "Europe/Berlin")
RILEY = Person("UREP0001", "riley", "Riley Brooks", "rep", "America/New_York", MAYA.id)
SAM = Person("UREP0002", "sam", "Sam Okafor", "rep", "America/Los_Angeles", MAYA.id)
PRIYA = Person("UREP0003", "priya", "Priya Nair", "rep", "Asia/Kolkata", JONAS.id)
YUKI = Person("UREP0004", "yuki", "Yuki Tanaka", "rep", "Asia/Tokyo")  # no manager: #perk-approvals
PEOPLE = (ADMIN, MAYA, JONAS, RILEY, SAM, PRIYA, YUKI)

APPROVALS, DIGEST, STORIES = "perk-approvals", "perk-digest", "customer-stories"
STORIES_SEED = (
    (
        RILEY,
        "Call with Ada Lovelace (Analytical Engines): she's back from leave, their baby girl was born last week :tada:",
    ),
    (PRIYA, "Grace Hopper at Compilers Inc just got promoted to VP of Engineering!"),
    (
        SAM,
        "Heads-up: Alan Turing's order arrived broken for the second time. He was very patient with us.",
    ),
)


@dataclass(frozen=True)
class Channels:
    approvals: str
    digest: str
    stories: str


def populate(fake: FakeSlack) -> Channels:
    """People and channels in the fake Slack (its state lives as long as the process)."""
    for p in PEOPLE:
        fake.add_user(p.id, p.name, real_name=p.real_name, tz=p.tz, is_admin=p.role == "admin")
    everyone = [p.id for p in PEOPLE]
    channels = Channels(
        approvals=fake.add_channel(APPROVALS, members=[ADMIN.id, MAYA.id, JONAS.id]).id,
        digest=fake.add_channel(DIGEST, members=everyone).id,
        stories=fake.add_channel(STORIES, members=everyone).id,
    )
    for person, text in STORIES_SEED:
        fake.post_as_user(person.id, channels.stories, text)
    for p in PEOPLE:
        fake.dm(p.id)
    return channels


def find_channels(fake: FakeSlack) -> Channels:
    """The demo channels of a restored workspace, by name."""
    by_name = {c.name: c.id for c in fake.state.channels_of(ADMIN.id)}
    return Channels(by_name[APPROVALS], by_name[DIGEST], by_name[STORIES])


def configure(slack: SlackClient, channels: Channels) -> None:
    """What the admin does once after installing Perkbot: managers, channels, reporting lines."""
    fake = slack.fake
    slack.command(ADMIN.id, "/perk", "settings")
    view = fake.wait_for(lambda: fake.modal(ADMIN.id), timeout=10)
    values = {
        "Managers": [MAYA.id, JONAS.id],
        "Approvals channel": channels.approvals,
        "Digest channel": channels.digest,
    }
    slack.view_submission(ADMIN.id, view, fill(view, values, view.values or None))
    for rep in PEOPLE:
        if rep.manager:
            slack.command(ADMIN.id, "/perk", f"team assign <@{rep.id}|{rep.name}> <@{rep.manager}>")
    fake.state.clear_modals(fake.team.id, ADMIN.id)
    dm = fake.dm(ADMIN.id)
    fake.wait_for(lambda: len(fake.ephemerals(ADMIN.id, dm)) >= 3, timeout=10)
    for note in fake.ephemerals(ADMIN.id, dm):  # the setup's own replies: not for the demo
        fake.state.delete_ephemeral(note.channel, note.ts)
