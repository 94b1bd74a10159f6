"""The same signed request sent again (a replay, a client's double post) is applied once.

Before, the same body and signature sent twice left two agenda items and two progress updates,
each with its partner notification.
"""

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.app import build_app, build_tandem
from bot.core.replays import EVENTS_REMEMBERED_FOR, REMEMBER_FOR
from bot.web import BackgroundServer, TandemWSGI
from devkit.emulator import SlackDriver
from storage.models import AgendaItem, AppliedRequest, GoalUpdate, OutboxMessage, ProcessedEvent
from tests.reliability.flows import create_goal, open_modal, progress_values
from tests.reliability.observe import report, row_counts
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, SIGNING_SECRET, START, Harness, settings_for_test


def notifications(tandem: Harness, kind_prefix: str) -> list[OutboxMessage]:
    with tandem.session() as session:
        rows = session.exec(select(OutboxMessage)).all()
    return [r for r in rows if r.kind.startswith(kind_prefix)]


def test_a_replayed_agenda_command_adds_one_item(tandem: Harness) -> None:
    tandem.stop_delivery()
    create_active_pair(tandem)
    first = tandem.slack.command(MENTEE, "agenda the promo packet")
    assert "Added to the agenda" in first.json["text"]
    before = row_counts(tandem, skip={"applied_request"})
    again = tandem.slack.replay()
    assert again.status == 200 and again.body == ""
    with tandem.session() as session:
        assert len(session.exec(select(AgendaItem)).all()) == 1
    assert row_counts(tandem, skip={"applied_request"}) == before
    report("replay /tandem agenda", replays=1, applied_twice=0)


def test_a_replayed_progress_update_is_saved_and_announced_once(tandem: Harness) -> None:
    tandem.stop_delivery()
    create_active_pair(tandem)
    create_goal(tandem)
    view = open_modal(tandem, MENTEE, "update")
    first = tandem.slack.submit_view(MENTEE, view, progress_values())
    assert first.ok and first.problems == []
    sent = tandem.slack.last_sent
    assert tandem.slack.replay(sent).status == 200
    with tandem.session() as session:
        assert len(session.exec(select(GoalUpdate)).all()) == 1
    assert len(notifications(tandem, "goal.update")) == 1
    tandem.run_due()
    posts = [c for c in tandem.emulator.calls("chat.postMessage") if "Progress on" in str(c.args)]
    assert len(posts) == 1


def test_ten_copies_at_once_are_applied_once(tandem: Harness) -> None:
    tandem.stop_delivery()
    create_active_pair(tandem)
    tandem.slack.command(MENTEE, "agenda one")
    sent = tandem.slack.last_sent
    with tandem.session() as session:
        for row in session.exec(select(AppliedRequest)).all():
            session.delete(row)  # forget the first, so ten copies race for it
        for item in session.exec(select(AgendaItem)).all():
            session.delete(item)
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda: statuses.append(tandem.slack.replay(sent).status))
        for _ in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 10
    with tandem.session() as session:
        assert len(session.exec(select(AgendaItem)).all()) == 1
    report("concurrent replays", copies=10, applied=1)


def test_replicas_share_the_memory_of_applied_requests(tandem: Harness, database_url) -> None:
    """A replay sent to another replica (same database) is recognised there too."""
    tandem.stop_delivery()
    create_active_pair(tandem)
    other_ctx = build_tandem(
        settings_for_test(database_url, tandem.emulator), clock=tandem.clock, migrate=False
    )
    other = BackgroundServer(TandemWSGI(build_app(other_ctx), other_ctx)).start()
    try:
        tandem.slack.command(MENTEE, "agenda shared memory")
        replica = SlackDriver(other.url, SIGNING_SECRET, tandem.emulator)
        assert replica.replay(tandem.slack.last_sent).status == 200
    finally:
        other.stop()
        other_ctx.engine.dispose()
    with tandem.session() as session:
        assert len(session.exec(select(AgendaItem)).all()) == 1


def test_requests_older_than_the_window_are_forgotten(tandem: Harness) -> None:
    """The memory is pruned: rows past Slack's window (which refuses them anyway) go."""
    old = datetime.now(UTC) - REMEMBER_FOR - timedelta(minutes=1)
    with tandem.session() as session:
        session.add(AppliedRequest(key="0" * 64, team_id=tandem.team_id, signed_at=old))
    tandem.slack.command(MENTEE, "help")
    with tandem.session() as session:
        keys = [row.key for row in session.exec(select(AppliedRequest)).all()]
    assert "0" * 64 not in keys and len(keys) == 1


def test_distinct_requests_with_the_same_text_are_both_applied(tandem: Harness) -> None:
    """Remembering requests must not swallow a person saying the same thing twice."""
    tandem.stop_delivery()
    create_active_pair(tandem)
    for _ in range(2):
        assert "Added" in tandem.slack.command(MENTEE, "agenda same words").json["text"]
    with tandem.session() as session:
        assert len(session.exec(select(AgendaItem)).all()) == 2


def test_event_ids_are_forgotten_once_slack_can_no_longer_retry(tandem: Harness) -> None:
    """The memory of handled events keeps a day's ids, not every id ever (it grew forever)."""
    opened = {"type": "app_home_opened", "user": MENTEE, "tab": "home", "channel": "D1"}

    def remembered() -> set[str]:
        with tandem.session() as session:
            return {row.event_id for row in session.exec(select(ProcessedEvent)).all()}

    tandem.slack.event(opened, event_id="EvMonday")
    tandem.clock.set(START + EVENTS_REMEMBERED_FOR - timedelta(hours=1))
    tandem.slack.event(opened, event_id="EvTuesday")
    assert remembered() == {"EvMonday", "EvTuesday"}

    tandem.clock.set(START + EVENTS_REMEMBERED_FOR + timedelta(minutes=1))
    tandem.slack.event(opened, event_id="EvLater")
    assert remembered() == {"EvTuesday", "EvLater"}

    # What is still remembered is still handled once: a late retry of Tuesday's event does nothing.
    tandem.emulator.wait_for("views.publish", count=3)
    again = tandem.slack.event(opened, event_id="EvTuesday", retry_num=3)
    assert again.status == 200 and again.body == ""
    assert remembered() == {"EvTuesday", "EvLater"}
