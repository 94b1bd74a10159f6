"""Slack's shortcuts: "Share with my mentoring partner" on any message, and "Log a mentoring
meeting" from the composer, sent as Slack sends them (signed message_action / shortcut)."""

from sqlmodel import select

from bot.meetings.blocks.modals import DATE_BLOCK, TIME_BLOCK
from handlers.shortcuts.meetings import LOG_MEETING_SHORTCUT
from handlers.shortcuts.reflection import SHARE_MESSAGE_SHORTCUT
from storage.models import Contribution, Meeting, MeetingStatus
from tests.meetings.helpers import utc, weekly_pair
from tests.reflection.helpers import everything, last_ephemeral, modal_after, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, Harness

CHANNEL = "C0ENGINEERING"
WORDS = "Our incident review template: start from the timeline, never from blame."


def channel_message(tandem: Harness, text: str = WORDS) -> dict:
    """A message someone wrote in a channel, to use a shortcut on."""
    tandem.emulator.add_channel(CHANNEL, "engineering")
    return tandem.emulator.add_message(CHANNEL, text, user=OUTSIDER)


def text_block(view: dict) -> dict:
    """The share modal's "What are you sharing?" input."""
    return next(b for b in view["blocks"] if b.get("block_id") == "text")


def test_a_message_becomes_a_share_with_its_link(tandem: Harness) -> None:
    create_active_pair(tandem)
    message = channel_message(tandem)
    response = tandem.slack.message_shortcut(MENTOR, SHARE_MESSAGE_SHORTCUT, message)
    assert response.ok and response.elapsed < 3
    view = modal_after(tandem, MENTOR, 0)
    link = tandem.emulator.calls("chat.getPermalink")[-1].response["permalink"]
    shown = text_block(view)["element"]["initial_value"]
    assert shown == f"{WORDS}\n{link}"
    # The kind comes from the words: the permalink alone would make every message an article.
    kind = next(b for b in view["blocks"] if b.get("block_id") == "kind")
    assert kind["element"]["initial_option"]["value"] == "insight"
    assert "Sharing" in everything(view) and "Noah" in everything(view)  # the one pair

    tandem.slack.submit_view(MENTOR, view, {"reflection.text": shown, "reflection.kind": "insight"})
    dm = wait_dm(tandem, MENTEE, "never from blame")
    assert link in everything(dm)
    with tandem.session() as session:
        [shared] = session.exec(select(Contribution)).all()
    assert shared.kind == "insight" and link in shared.text


def test_with_several_pairs_the_partner_is_picked(tandem: Harness) -> None:
    create_active_pair(tandem)
    create_active_pair(tandem, mentor=MENTEE, mentee=OTHER_MENTEE)
    message = channel_message(tandem, "Try https://github.com/astral-sh/ruff for linting")
    tandem.slack.message_shortcut(MENTEE, SHARE_MESSAGE_SHORTCUT, message)
    view = modal_after(tandem, MENTEE, 0)
    assert any(b.get("block_id") == "pair" for b in view["blocks"])
    kind = next(b for b in view["blocks"] if b.get("block_id") == "kind")
    assert kind["element"]["initial_option"]["value"] == "tool"


def test_a_long_message_is_shortened_and_keeps_its_link(tandem: Harness) -> None:
    create_active_pair(tandem)
    message = channel_message(tandem, "word " * 600)
    tandem.slack.message_shortcut(MENTOR, SHARE_MESSAGE_SHORTCUT, message)
    view = modal_after(tandem, MENTOR, 0)
    link = tandem.emulator.calls("chat.getPermalink")[-1].response["permalink"]
    shown = text_block(view)["element"]["initial_value"]
    assert len(shown) <= 2000 and shown.endswith(f"…\n{link}")


def test_someone_without_a_pair_is_told_kindly(tandem: Harness) -> None:
    create_active_pair(tandem)
    message = channel_message(tandem)
    response = tandem.slack.message_shortcut(OUTSIDER, SHARE_MESSAGE_SHORTCUT, message)
    assert response.ok
    assert "not in an active mentoring pair" in last_ephemeral(tandem, OUTSIDER)
    assert tandem.emulator.calls("views.open") == []

    tandem.slack.global_shortcut(OUTSIDER, LOG_MEETING_SHORTCUT)
    view = modal_after(tandem, OUTSIDER, 0)
    assert "not in an active mentoring pair" in everything(view)
    with tandem.session() as session:
        assert session.exec(select(Contribution)).all() == []


def test_the_global_shortcut_opens_the_meeting_log(tandem: Harness) -> None:
    weekly_pair(tandem)
    tandem.clock.set(utc(2026, 3, 4, 15))
    response = tandem.slack.global_shortcut(MENTEE, LOG_MEETING_SHORTCUT)
    assert response.ok and response.elapsed < 3
    view = modal_after(tandem, MENTEE, 0)
    assert view["title"]["text"] == "Log a meeting"
    tandem.slack.submit_view(MENTEE, view, {DATE_BLOCK: "2026-03-04", TIME_BLOCK: "08:30"})
    with tandem.session() as session:
        met = session.exec(select(Meeting).where(Meeting.status == MeetingStatus.MET)).all()
    assert len(met) == 1
