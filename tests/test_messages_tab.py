"""The Messages tab: a DM to Tandem gets a short answer (what it is, /tandem help, the Home tab),
once per conversation per day, not silence and not a reply to every line."""

import time
from datetime import timedelta

from bot.core.greeting import GREETING
from devkit.emulator import Call
from tests.support.harness import MENTEE, OTHER_MENTEE, Harness


def dm_event(tandem: Harness, user: str, text: str = "hello?", **extra: object) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": tandem.emulator.dm_channel(user),
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
        **extra,
    }
    assert tandem.slack.event(event).status == 200


def greetings(tandem: Harness, user: str) -> list[Call]:
    channel = tandem.emulator.dm_channel(user)
    return [
        c
        for c in tandem.emulator.calls("chat.postMessage")
        if c.args.get("channel") == channel and c.args.get("text") == GREETING
    ]


def settle(tandem: Harness, user: str, count: int) -> None:
    """Wait for `count` greetings to `user`, then a moment for any that should not come."""
    tandem.emulator.wait_for(lambda c: c in greetings(tandem, user), count=count)
    time.sleep(0.3)


def test_a_dm_gets_one_short_answer_a_day(tandem: Harness) -> None:
    dm_event(tandem, MENTEE, "hi Tandem, what do you do?")
    settle(tandem, MENTEE, 1)
    answer = greetings(tandem, MENTEE)[0].args["text"]
    assert "/tandem help" in answer and "Home" in answer
    assert len(answer) < 400  # short

    dm_event(tandem, MENTEE, "are you there?")
    dm_event(tandem, MENTEE, "edited", subtype="message_changed")
    dm_event(tandem, MENTEE, "from a bot", bot_id="B0OTHER")
    dm_event(tandem, OTHER_MENTEE, "hello")  # another conversation is answered on its own
    settle(tandem, OTHER_MENTEE, 1)
    assert len(greetings(tandem, MENTEE)) == 1

    tandem.clock.set(tandem.clock.now() + timedelta(days=1))
    dm_event(tandem, MENTEE, "good morning")
    settle(tandem, MENTEE, 2)
    assert len(greetings(tandem, MENTEE)) == 2


def test_the_same_event_retried_is_answered_once(tandem: Harness) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": tandem.emulator.dm_channel(MENTEE),
        "user": MENTEE,
        "text": "hi",
    }
    first = tandem.slack.event(event)
    tandem.slack.event(event, retry_num=1, event_id=first.event_id)
    settle(tandem, MENTEE, 1)
    assert len(greetings(tandem, MENTEE)) == 1
