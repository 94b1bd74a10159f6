"""A fan-out to watch: many pairs whose next reminders are due together, and what reached Slack."""

from collections import Counter

from devkit.emulator import SlackEmulator
from tests.support.factories import create_active_pair
from tests.support.harness import START, Harness


def many_pairs(tandem: Harness, pairs: int) -> None:
    """`pairs` pairs of people in Berlin (no quiet hours in the way), on the weekly rhythm,
    with what their start queued already sent: the next fan-out is two reminders a pair."""
    tandem.stop_delivery()
    for n in range(pairs):
        mentor, mentee = f"UMRC{n:04d}", f"UMEE{n:04d}"
        tandem.emulator.add_user(mentor, f"mentor{n}", tz="Europe/Berlin")
        tandem.emulator.add_user(mentee, f"mentee{n}", tz="Europe/Berlin")
        create_active_pair(tandem, mentor=mentor, mentee=mentee)
    tandem.run_due(START)


def posted_keys(emulator: SlackEmulator) -> Counter[str]:
    """How many times each outbox key reached Slack (read back from message metadata)."""
    return Counter(
        m["metadata"]["event_payload"]["key"] for m in emulator.messages() if m.get("metadata")
    )
