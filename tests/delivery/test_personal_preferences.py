"""Per-person nudge rules: own quiet hours, snoozing a kind, muting only what is one's own."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.kind_rules import NUDGE_KINDS
from bot.delivery.policy_rules import QuietHours
from bot.delivery.preference_rules import (
    MUTABLE_KINDS,
    SNOOZABLE_KINDS,
    held_by_snooze,
    is_muted,
    mute_rule,
    personal_quiet_hours,
    snooze_until,
)

BERLIN = ZoneInfo("Europe/Berlin")
WORKSPACE = QuietHours(time(20, 0), time(8, 0))
NOW = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # a Wednesday


def test_my_quiet_hours_replace_the_workspace_ones() -> None:
    mine = personal_quiet_hours(WORKSPACE, "22:30", "06:00")
    assert mine == QuietHours(time(22, 30), time(6, 0))
    assert mine.contains(time(23, 0)) and not mine.contains(time(21, 0))
    assert personal_quiet_hours(WORKSPACE, None, None) == WORKSPACE
    assert not personal_quiet_hours(WORKSPACE, "00:00", "00:00").enabled  # none at all


def test_snoozes_end_in_the_persons_own_morning() -> None:
    tomorrow = snooze_until("tomorrow", NOW, BERLIN, time(8, 0))
    assert tomorrow == datetime(2026, 3, 5, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    next_week = snooze_until("next_week", NOW, BERLIN, time(8, 0))
    assert next_week == datetime(2026, 3, 9, 7, 0, tzinfo=UTC)  # Monday
    assert snooze_until("forever", NOW, BERLIN, time(8, 0)) is None


def test_a_snoozed_kind_waits_until_the_snooze_ends() -> None:
    until = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)
    snoozes = {"reflection.prompt": until}
    assert held_by_snooze(snoozes, "reflection.prompt", NOW) == until
    assert held_by_snooze(snoozes, "meeting.reminder", NOW) is None
    assert held_by_snooze(snoozes, "reflection.prompt", until) is None  # over


@pytest.mark.parametrize("kind", ["meeting.reminder", "meeting.followup", "meeting.lapse"])
def test_the_pairs_shared_rhythm_cannot_be_muted(kind: str) -> None:
    rule = mute_rule(kind)
    assert not rule.allowed and "reminder settings" in rule.reason
    assert not is_muted([kind], kind)


def test_muting_feedback_prompts_agreed_in_the_charter_tells_the_partner() -> None:
    assert mute_rule("reflection.prompt").tell_partner
    assert mute_rule("reflection.giveback").allowed
    assert not mute_rule("reflection.giveback").tell_partner
    assert is_muted(["reflection.giveback"], "reflection.giveback")


def test_everything_mutable_or_snoozable_is_a_nudge() -> None:
    assert set(MUTABLE_KINDS) <= set(SNOOZABLE_KINDS) <= NUDGE_KINDS
