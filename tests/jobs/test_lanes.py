"""Per-channel lanes (bot.lanes), without Slack or a database: one post in flight per
channel, the next `gap` seconds after Slack answered, or after a 429's Retry-After."""

from bot.lanes import Lanes, Pacer


def test_one_post_per_channel_at_a_time_and_the_next_a_gap_after_the_answer() -> None:
    lanes: Lanes[str] = Lanes(Pacer(gap=1.0))
    for job in ("a1", "a2"):
        lanes.add("CA", job)
    lanes.add("CB", "b1")
    assert lanes.take_ready(100.0, 10) == [("CA", "a1"), ("CB", "b1")]  # side by side
    assert lanes.take_ready(100.5, 10) == []  # a1 still in flight
    lanes.done("CA", 100.2)  # Slack answered a1
    assert lanes.take_ready(101.19, 10) == []
    assert lanes.take_ready(101.2, 10) == [("CA", "a2")]
    assert lanes.held == 2  # a2 in flight, b1 in flight


def test_a_429_holds_its_channel_for_retry_after_and_keeps_the_post_first() -> None:
    lanes: Lanes[str] = Lanes(Pacer(gap=1.0))
    lanes.add("CA", "a1")
    lanes.add("CA", "a2")
    lanes.add("CB", "b1")
    lanes.take_ready(0.0, 10)
    lanes.done("CA", 0.1, hold=3.0, again="a1")  # 429, Retry-After: 3
    lanes.done("CB", 0.1)
    assert lanes.take_ready(2.0, 10) == []
    assert lanes.take_ready(3.1, 10) == [("CA", "a1")]
    assert lanes.held == 2


def test_lanes_of_two_passes_sharing_a_pacer_never_overlap_on_a_channel() -> None:
    pacer = Pacer(gap=1.0)
    first: Lanes[str] = Lanes(pacer)
    second: Lanes[str] = Lanes(pacer)
    first.add("CA", "x")
    second.add("CA", "y")
    assert first.take_ready(0.0, 1) == [("CA", "x")]
    assert second.take_ready(0.0, 1) == []  # busy in the other pass
    first.done("CA", 0.3)
    assert second.take_ready(1.0, 1) == []
    assert second.take_ready(1.3, 1) == [("CA", "y")]


def test_crowded_lanes_are_named_so_claims_can_skip_them() -> None:
    lanes: Lanes[int] = Lanes(Pacer())
    for i in range(3):
        lanes.add("CA", i)
    lanes.add("CB", 9)
    assert lanes.crowded(3) == ["CA"]
    assert lanes.next_at() is not None
