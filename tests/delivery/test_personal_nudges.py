"""Each person's own say over nudges, set in /tandem preferences and honoured by the sender:
own quiet hours, a kind snoozed, a kind muted (the partner told when the charter agreed it),
and Snooze buttons on every nudge, for tomorrow or next week."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, delete, select

from bot.delivery.blocks import (
    CLEAR,
    MUTED,
    QUIET_END,
    QUIET_START,
    REMINDERS,
    SNOOZE_FOR,
    SNOOZE_KIND,
)
from bot.delivery.service import enqueue
from storage.models import OutboxMessage, OutboxStatus, Preference
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, START, Harness


def open_preferences(tandem: Harness, user: str) -> dict[str, Any]:
    before = len(tandem.emulator.calls("views.open"))
    assert tandem.slack.command(user, "preferences").ok
    tandem.emulator.wait_for("views.open", count=before + 1)
    view = tandem.emulator.open_view(user)
    assert view is not None and view["callback_id"] == "prefs.save"
    return view


def nudge(
    tandem: Harness,
    pair_id: int,
    kind: str,
    user: str,
    key: str,
    expires_at: datetime | None = None,
) -> None:
    """Tandem queues a nudge DM for `user` (as its producers do), moot after `expires_at`."""
    with tandem.session() as session:
        enqueue(
            session,
            team_id=tandem.team_id,
            key=key,
            kind=kind,
            channel=user,
            recipient_user_id=user,
            text=f"A {kind} nudge",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": f"A {kind} nudge"}}],
            deliver_after=tandem.clock.now(),
            pair_id=pair_id,
            expires_at=expires_at,
        )


def row(tandem: Harness, key: str) -> OutboxMessage:
    with tandem.session() as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).one()


def test_my_own_quiet_hours_hold_my_messages(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    view = open_preferences(tandem, MENTEE)  # Noah, New York: it is 09:00 there
    one_end = tandem.slack.submit_view(MENTEE, view, {QUIET_START: "07:00"})
    assert QUIET_END in one_end.json["errors"]
    assert tandem.slack.submit_view(MENTEE, view, {QUIET_START: "07:00", QUIET_END: "11:00"}).ok
    tandem.stop_delivery()
    nudge(tandem, ref.pair_id, "reflection.giveback", MENTEE, "test.quiet:1")
    nudge(tandem, ref.pair_id, "reflection.giveback", MENTOR, "test.quiet:2")  # Maya: no change
    tandem.run_due(START)
    held = row(tandem, "test.quiet:1")
    assert held.status == OutboxStatus.PENDING and held.last_error == "held: quiet hours"
    assert held.deliver_after == datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 11:00 in New York
    assert row(tandem, "test.quiet:2").status == OutboxStatus.SENT


def test_a_snoozed_kind_waits_and_a_muted_kind_is_not_sent(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    view = open_preferences(tandem, MENTEE)
    answer = tandem.slack.submit_view(
        MENTEE,
        view,
        {
            MUTED: ["reflection.prompt", "reflection.giveback"],
            SNOOZE_KIND: "reflection.review",
            SNOOZE_FOR: "next_week",
        },
    )
    said = str(answer.json["view"])
    # Slack's date token: Noah's own clock, and its fallback names his zone.
    assert "No review invitations until <!date^" in said
    assert "|Mon 9 Mar, 08:00 America/New_York>; they wait" in said
    assert "Your partner has been told" in said
    told = tandem.emulator.wait_for(
        lambda c: c.method == "chat.postMessage" and c.args.get("channel") == MENTOR
    )[-1]
    assert "turned off feedback prompts" in told.args["text"]
    tandem.stop_delivery()
    nudge(tandem, ref.pair_id, "reflection.prompt", MENTEE, "test.prompt:1")
    nudge(tandem, ref.pair_id, "reflection.review", MENTEE, "test.review:1")
    nudge(tandem, ref.pair_id, "meeting.reminder", MENTEE, "test.reminder:1")
    tandem.run_due(START)
    assert row(tandem, "test.prompt:1").status == OutboxStatus.EXPIRED
    assert row(tandem, "test.prompt:1").last_error == "muted by the recipient"
    review = row(tandem, "test.review:1")
    assert review.status == OutboxStatus.PENDING
    assert review.deliver_after == datetime(2026, 3, 9, 12, 0, tzinfo=UTC)  # 08:00 New York (EDT)
    assert row(tandem, "test.reminder:1").status == OutboxStatus.SENT  # not mutable: still comes
    tandem.run_due(datetime(2026, 3, 9, 12, 0, tzinfo=UTC))
    assert row(tandem, "test.review:1").status == OutboxStatus.SENT


def test_ending_my_snoozes_lets_the_snoozed_kind_through_again(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    view = open_preferences(tandem, MENTEE)
    snoozed = {SNOOZE_KIND: "reflection.review", SNOOZE_FOR: "next_week"}
    assert tandem.slack.submit_view(MENTEE, view, snoozed).ok
    answer = tandem.slack.submit_view(MENTEE, open_preferences(tandem, MENTEE), {CLEAR: ["yes"]})
    assert "Your snoozes are over." in str(answer.json["view"])
    tandem.stop_delivery()
    nudge(tandem, ref.pair_id, "reflection.review", MENTEE, "test.review:2")
    tandem.run_due(START)
    assert row(tandem, "test.review:2").status == OutboxStatus.SENT


def test_meeting_reminders_cannot_be_muted_even_by_a_crafted_form(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = open_preferences(tandem, MENTEE)
    tandem.slack.close_view(MENTEE, view)
    forged = {**view, "id": "VFORGEDPREFS"}
    for block in forged["blocks"]:
        if block.get("block_id") == MUTED:
            block["element"]["options"].append(
                {"text": {"type": "plain_text", "text": "Reminders"}, "value": "meeting.reminder"}
            )
    tandem.slack.submit_view(MENTEE, forged, {MUTED: ["meeting.reminder"]})
    with tandem.session() as session:
        assert session.exec(select(Preference)).one().muted_kinds == []


def test_every_nudge_can_be_snoozed_until_next_week_and_a_gone_one_is_answered_kindly(
    tandem: Harness,
) -> None:
    ref = create_active_pair(tandem)
    nudge(tandem, ref.pair_id, "reflection.giveback", MENTEE, "test.snooze:1")
    tandem.ctx.on_outbox_changed()
    calls = tandem.emulator.wait_for(
        lambda c: c.method == "chat.postMessage" and "reflection.giveback" in c.args.get("text", "")
    )
    message = tandem.emulator.message(calls[-1].response["channel"], calls[-1].response["ts"])
    tandem.slack.click_button_in(message, MENTEE, action_id="nudge.snooze.next_week")
    tandem.emulator.wait_for("chat.update")
    with tandem.session() as session:
        copy = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.key).startswith("snooze:"))
        ).one()
    assert copy.deliver_after == datetime(2026, 3, 9, 12, 0, tzinfo=UTC)  # Monday, 08:00 NY (EDT)
    shown = tandem.emulator.message(message["channel"], message["ts"])
    assert "Snoozed" in shown["text"]
    # A message whose record is gone (erased on request, say): a kind answer, nothing queued.
    with tandem.session() as session:
        session.exec(delete(OutboxMessage))  # type: ignore[call-overload]
    tandem.slack.click(MENTEE, "nudge.snooze.tomorrow", value="test.snooze:1")
    tandem.emulator.wait_for("response_url")
    assert (
        "can't be snoozed any more" in tandem.emulator.ephemeral_messages(user=MENTEE)[-1]["text"]
    )
    with tandem.session() as session:
        assert session.exec(select(OutboxMessage)).all() == []
    assert START + timedelta(days=7) > copy.deliver_after


def test_each_person_chooses_their_own_meeting_reminders(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    tandem.run_due(START)
    view = open_preferences(tandem, MENTEE)
    mine = next(b for b in view["blocks"] if b.get("block_id") == REMINDERS)
    assert mine["element"]["initial_option"]["value"] == "pair"  # nothing chosen yet
    assert tandem.slack.submit_view(MENTEE, view, {REMINDERS: "hour_before"}).ok
    # Next meeting: Monday 9 March, 10:00 in Berlin (09:00 UTC). By default (the pair's
    # settings, issue 17) one reminder the day before: Maya gets it, Noah chose the hour before.
    tandem.run_due(datetime(2026, 3, 8, 9, 0, tzinfo=UTC))
    tandem.run_due(datetime(2026, 3, 8, 14, 0, tzinfo=UTC))  # Noah's morning in New York
    tandem.run_due(datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
    with tandem.session() as session:
        reminders = session.exec(
            select(OutboxMessage.recipient_user_id, OutboxMessage.key)
            .where(OutboxMessage.kind == "meeting.reminder", OutboxMessage.pair_id == ref.pair_id)
            .order_by(col(OutboxMessage.id))
        ).all()
    assert [(who, key.split(":")[3]) for who, key in reminders] == [
        (MENTOR, "1440"),
        (MENTEE, "60"),
    ]
    # Noah opens his preferences again: his choice is there; "None" stops his reminders.
    view = open_preferences(tandem, MENTEE)
    mine = next(b for b in view["blocks"] if b.get("block_id") == REMINDERS)
    assert mine["element"]["initial_option"]["value"] == "hour_before"
    assert tandem.slack.submit_view(MENTEE, view, {REMINDERS: "none"}).ok
    tandem.run_due(datetime(2026, 3, 16, 8, 0, tzinfo=UTC))
    with tandem.session() as session:
        later = session.exec(
            select(OutboxMessage.recipient_user_id).where(OutboxMessage.kind == "meeting.reminder")
        ).all()
    assert later.count(MENTEE) == 1 and later.count(MENTOR) == 2


def test_only_snoozes_that_end_in_time_are_offered(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    tandem.stop_delivery()
    # It is Monday 09:00 in New York. A reminder for tomorrow afternoon's meeting can wait
    # until tomorrow morning, not until next week; one for a meeting this morning cannot wait.
    tomorrow = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
    nudge(tandem, ref.pair_id, "meeting.reminder", MENTEE, "test.soon:1", expires_at=tomorrow)
    soon = START + timedelta(hours=2)
    nudge(tandem, ref.pair_id, "meeting.reminder", MENTEE, "test.soon:2", expires_at=soon)
    nudge(tandem, ref.pair_id, "reflection.giveback", MENTEE, "test.soon:3")
    tandem.run_due(START)

    def snoozes(key: str) -> list[str]:
        """The Snooze buttons on the message the nudge `key` became."""
        sent = row(tandem, key)
        assert sent.status == OutboxStatus.SENT and sent.sent_ts, key
        message = tandem.emulator.message(sent.sent_channel or "", sent.sent_ts)
        return [
            e["action_id"]
            for b in message["blocks"]
            for e in b.get("elements") or []
            if e.get("action_id", "").startswith("nudge.snooze.")
        ]

    assert snoozes("test.soon:1") == ["nudge.snooze.tomorrow"]
    assert snoozes("test.soon:2") == []
    assert snoozes("test.soon:3") == ["nudge.snooze.tomorrow", "nudge.snooze.next_week"]
