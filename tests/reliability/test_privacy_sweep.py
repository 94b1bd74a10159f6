"""Private text stays with the people it belongs to: a sweep of everything anyone else can see.

A distinctive marker is written, through the real flows over signed HTTP, into every kind of
private text: private meeting notes, feedback to the partner and its reply, programme-only
feedback, review answers, a charter change request, a side's constraints in the charter, a
win outside any goal (no celebrations channel set) and the private reason for closing. Then
everything the emulator holds is sorted by who can see it (a DM, a group DM, a channel, an
ephemeral message, a modal, a Home tab), and the admin's surfaces are added: every `/tandem
admin` answer, their Home tab and `tandem export`; and the logs, in process at DEBUG and from
`tandem run-due` and `tandem serve` at LOG_LEVEL=DEBUG.

Each marker must appear where it belongs (so the sweep can fail) and nowhere else.
"""

import csv
import io
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.charter.change_requests import NOTE_BLOCK
from bot.core.logs import HidePayloads
from bot.meetings.blocks.modals import DISCUSSED_BLOCK, PRIVATE_BLOCK
from devkit.emulator import SlackDriver
from tests.meetings.test_meeting_followup import AFTER
from tests.pairs.steps import click, delivered, open_charter, submit_charter
from tests.programme.helpers import ephemeral_reply, text_of
from tests.reflection.helpers import click_modal, command_modal, wait_dm
from tests.reflection.test_ending import choose
from tests.reflection.test_reviews import MAYA_ANSWERS, NOAH_ANSWERS
from tests.support.factories import create_active_pair
from tests.support.harness import (
    ADMIN,
    BOT_TOKEN,
    MENTEE,
    MENTOR,
    OTHER_MENTEE,
    OUTSIDER,
    SIGNING_SECRET,
    START,
    Harness,
)
from tests.support.processes import (
    clean_environment,
    free_port,
    run_tandem,
    tandem_process,
    wait_healthy,
)

PUBLIC = "anyone in a channel"
EVERYONE = (MENTOR, MENTEE, OTHER_MENTEE, OUTSIDER, ADMIN, PUBLIC)


@dataclass
class Sweep:
    """The markers seeded so far: who may see each, and who must have been shown it."""

    workdir: Path
    may: dict[str, frozenset[str]] = field(default_factory=dict)
    must: dict[str, frozenset[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    def mark(self, kind: str, may: tuple[str, ...], must: tuple[str, ...] | None = None) -> str:
        marker = f"PRIVMARK-{kind}-{uuid.uuid4().hex[:10]}"
        self.may[marker] = frozenset(may)
        self.must[marker] = frozenset(may if must is None else must)
        self.kinds[marker] = kind
        return marker


def audience(tandem: Harness, channel: str | None) -> set[str]:
    """Who can read a conversation: the IM's person, the group DM's members, or anyone."""
    ws = tandem.emulator._ws  # the emulator's own workspace: who is in which conversation
    if not channel:
        return {PUBLIC}
    if channel in ws.users:
        return {channel}
    conversation = ws.conversations.get(channel)
    if conversation is None:
        return {PUBLIC}
    if conversation.is_im and conversation.im_user:
        return {conversation.im_user}
    if conversation.members is not None and (conversation.is_mpim or conversation.is_private):
        return set(conversation.members)
    return {PUBLIC}


def seen_by(tandem: Harness, answers: dict[str, list[str]]) -> dict[str, str]:
    """Everything each person (and the public) could have seen, as one text per viewer.

    Current messages, ephemerals, modals and Home tabs, and every message and view as it was
    first sent (a later update must not hide an earlier leak), plus the command answers
    (`answers`) that went straight back to the person who asked.
    """
    ws = tandem.emulator._ws
    seen: dict[str, list[str]] = defaultdict(list)
    for user, texts in answers.items():
        seen[user].extend(texts)
    for message in tandem.emulator.messages():
        for viewer in audience(tandem, message["channel"]):
            seen[viewer].append(json.dumps(message, default=str))
    for ephemeral in tandem.emulator.ephemeral_messages():
        seen[ephemeral["user"]].append(json.dumps(ephemeral, default=str))
    for view_id, view in ws.views.items():
        seen[ws.view_owner.get(view_id, PUBLIC)].append(json.dumps(view, default=str))
    for call in tandem.emulator.calls():
        said = json.dumps(call.args, default=str)
        if call.method in ("chat.postMessage", "chat.update", "chat.scheduleMessage"):
            channel = call.response.get("channel") or call.args.get("channel")
            viewers = audience(tandem, channel)
        elif call.method == "chat.postEphemeral":
            viewers = {call.args.get("user") or PUBLIC}
        elif call.method == "views.publish":
            viewers = {call.args.get("user_id") or PUBLIC}
        elif call.method in ("views.open", "views.push", "views.update"):
            view_id = (call.response.get("view") or {}).get("id") or call.args.get("view_id")
            viewers = {ws.view_owner.get(view_id, PUBLIC)}
        elif call.method == "response_url":
            target = ws.response_targets.get(call.url.rstrip("/").rsplit("/", 1)[-1])
            in_channel = call.args.get("response_type") == "in_channel"
            viewers = {target.user_id or PUBLIC} if target else {PUBLIC}
            if target and in_channel:
                viewers |= audience(tandem, target.channel_id)
        elif call.method.startswith(("chat.", "views.", "files.")):
            viewers = {PUBLIC}  # anything else that shows something: treated as public
        else:
            continue
        for viewer in viewers:
            seen[viewer].append(said)
    return {viewer: "\n".join(texts) for viewer, texts in seen.items()}


def admin_surfaces(tandem: Harness, answers: dict[str, list[str]]) -> str:
    """Every admin command's answer and the admin's Home tab, as the admin sees them."""
    shown = []
    for text in [
        "admin",
        "admin pairs",
        "admin cohorts",
        "admin feedback",
        "admin match",
        "admin settings",
        "admin import",
        "status",
        "notes",
        "review history",
    ]:
        opened = len(tandem.emulator.calls("views.open"))
        reply = ephemeral_reply_or_modal(tandem, ADMIN, text, opened)
        shown.append(reply)
        answers[ADMIN].append(reply)
    published = len(tandem.emulator.calls("views.publish"))
    tandem.slack.open_home(ADMIN)
    tandem.emulator.wait_for("views.publish", count=published + 1, timeout=30)
    shown.append(json.dumps(tandem.emulator.home(ADMIN)))
    return "\n".join(shown)


def ephemeral_reply_or_modal(tandem: Harness, user: str, text: str, opened: int) -> str:
    """The answer to `/tandem <text>`: its private reply, or the modal it opened."""
    before = len(tandem.emulator.ephemeral_messages(user=user))
    response = tandem.slack.command(user, text)
    assert response.ok, response.body
    if response.json and response.json.get("text"):
        return text_of(response.json)

    def answered(_: Any) -> bool:
        later = len(tandem.emulator.ephemeral_messages(user=user)) > before
        return later or len(tandem.emulator.calls("views.open")) > opened

    tandem.emulator.wait_for(answered, timeout=30)
    if len(tandem.emulator.calls("views.open")) > opened:
        return json.dumps(tandem.emulator.open_view(user))
    return text_of(tandem.emulator.ephemeral_messages(user=user)[-1])


def export_csv(sweep: Sweep, database_url: str, *args: str) -> str:
    """`tandem export` run as an admin runs it, as a subprocess."""
    env = clean_environment(DATABASE_URL=database_url, TANDEM_AUTO_MIGRATE="false")
    result = run_tandem(["export", *args], sweep.workdir, env)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    if "--trends" not in args:
        assert rows and rows[0]["mentor_user_id"] == MENTOR  # the pair is there: a real export
    return result.stdout + result.stderr


def seed(tandem: Harness, sweep: Sweep, answers: dict[str, list[str]]) -> None:
    """Every kind of private text, written through the flows people use."""
    pair = create_active_pair(tandem)
    tandem.run_due(START)

    # A charter change asked for, with a note for the author.
    change = sweep.mark("charter-change", (MENTOR, MENTEE), must=(MENTOR,))
    constraint = sweep.mark("charter-constraint", (MENTOR, MENTEE), must=(MENTEE,))
    form = open_charter(tandem, MENTOR)
    revised = submit_charter(
        tandem, MENTOR, form, session_minutes="60", mentee_constraints=constraint
    )
    assert revised.problems == []
    request = delivered(tandem, "charter.ack_request", MENTEE)[-1]
    click(tandem, request, MENTEE, "charter.request_changes", answer="views.open")
    modal = tandem.emulator.open_view(MENTEE)
    assert tandem.slack.submit_view(MENTEE, modal, {NOTE_BLOCK: change}).ok
    delivered(tandem, "charter.changes", MENTOR)

    # A win outside any goal: the two of them see it in their group DM (no channel is set).
    win = sweep.mark("win", (MENTOR, MENTEE))
    answers[MENTEE].append(text_of(tandem.slack.command(MENTEE, f"celebrate {win}").json))
    wait_dm(tandem, pair.home_channel_id, win)

    # Feedback for the partner, thanked with a reply.
    to_partner = sweep.mark("feedback", (MENTEE, MENTOR), must=(MENTOR,))
    reply = sweep.mark("feedback-reply", (MENTEE, MENTOR), must=(MENTEE,))
    view = command_modal(tandem, MENTEE, "feedback")
    values = {
        "reflection.kind": "support",
        "reflection.text": to_partner,
        "reflection.visibility": "partner",
    }
    assert tandem.slack.submit_view(MENTEE, view, values).problems == []
    dm = wait_dm(tandem, MENTOR, to_partner)
    modal = click_modal(tandem, MENTOR, dm, "reflection.feedback.reply")
    assert tandem.slack.submit_view(MENTOR, modal, {"reflection.reply": reply}).ok
    wait_dm(tandem, MENTEE, reply)

    # Feedback for the programme only: not even the partner sees it.
    programme = sweep.mark("programme-feedback", (MENTEE,), must=())
    view = command_modal(tandem, MENTEE, "feedback")
    values = {
        "reflection.kind": "general",
        "reflection.text": programme,
        "reflection.visibility": "programme",
    }
    assert tandem.slack.submit_view(MENTEE, view, values).problems == []

    # A review, answered by both: each note is shown to both once both are in.
    maya_note = sweep.mark("review-note", (MENTOR, MENTEE))
    noah_note = sweep.mark("review-note", (MENTEE, MENTOR))
    view = command_modal(tandem, MENTOR, "review")
    tandem.slack.submit_view(MENTOR, view, {**MAYA_ANSWERS, "reflection.note": maya_note})
    invite = wait_dm(tandem, MENTEE, "has answered your mentorship review")
    view = click_modal(tandem, MENTEE, invite, "reflection.review.open")
    tandem.slack.submit_view(MENTEE, view, {**NOAH_ANSWERS, "reflection.note": noah_note})
    wait_dm(tandem, MENTOR, "both answers are in")

    # After the meeting: each writes shared notes and private ones only they will ever see.
    message = followup_message(tandem, pair.home_channel_id)
    for user in (MENTOR, MENTEE):
        private = sweep.mark("private-note", (user,))
        opened = len(tandem.emulator.calls("views.open"))
        current = tandem.emulator.message(message["channel"], message["ts"]) or message
        action = "meeting.met" if user == MENTOR else "meeting.notes"
        tandem.slack.click_button_in(current, user, action_id=action)
        tandem.emulator.wait_for("views.open", count=opened + 1)
        view = tandem.emulator.open_view(user)
        notes = {DISCUSSED_BLOCK: f"We talked, said {user}.", PRIVATE_BLOCK: private}
        assert tandem.slack.submit_view(user, view, notes).ok
        shown = text_of(tandem.slack.command(user, "notes").json)
        answers[user].append(shown)
        assert private in shown  # the author reads their own private note back


def followup_message(tandem: Harness, home: str) -> dict[str, Any]:
    """The "did you meet?" message in the pair's group DM, once it has been sent."""

    def posted(call: Any) -> bool:
        blocks = json.dumps(call.args.get("blocks"), default=str)
        return call.method == "chat.postMessage" and '"meeting.followup"' in blocks

    tandem.run_due(AFTER)
    [call] = tandem.emulator.wait_for(posted, timeout=30)
    message = tandem.emulator.message(call.response["channel"], call.response["ts"])
    assert message is not None and message["channel"] == tandem.emulator.resolve_channel(home)
    return message


def close_privately(tandem: Harness, sweep: Sweep, answers: dict[str, list[str]]) -> None:
    """Noah closes the mentorship with a reason only he keeps."""
    reason = sweep.mark("closing-reason", (MENTEE,))
    view = choose(tandem, MENTEE, command_modal(tandem, MENTEE, "end"), "close")
    values = {"reflection.how": "close", "reflection.reason": reason}
    assert tandem.slack.submit_view(MENTEE, view, values).ok
    tandem.run_due()  # nothing sends in the background since run-due's turn
    wait_dm(tandem, MENTOR, "closed your mentorship")
    history = text_of(tandem.slack.command(MENTEE, "review history").json)
    answers[MENTEE].append(history)
    assert reason in history  # Noah sees his own reason


def run_due_logs(tandem: Harness, sweep: Sweep, database_url: str) -> str:
    """Feedback queued while nothing sends, then `tandem run-due` at DEBUG sends it: stderr."""
    tandem.stop_delivery()
    late = sweep.mark("feedback-by-cron", (MENTOR, MENTEE), must=(MENTEE,))
    view = command_modal(tandem, MENTOR, "feedback")
    values = {"reflection.text": late, "reflection.visibility": "partner"}
    assert tandem.slack.submit_view(MENTOR, view, values).problems == []
    now = (tandem.clock.now() + timedelta(minutes=1)).isoformat()
    result = run_tandem(["run-due", "--now", now], sweep.workdir, _env(tandem, database_url))
    assert result.returncode == 0, result.stderr
    assert late in json.dumps(tandem.emulator.messages(MENTEE))  # it was sent, by run-due
    return result.stdout + result.stderr


def serve_logs(tandem: Harness, sweep: Sweep, database_url: str) -> tuple[str, dict[str, str]]:
    """`tandem serve` at DEBUG, asked for private notes by their author: its stderr."""
    port = free_port()
    env = _env(tandem, database_url, PORT=str(port))
    shown: dict[str, str] = {}
    with tandem_process(["serve", "--no-scheduler"], sweep.workdir, env) as process:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        serve = SlackDriver(
            f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, tandem.emulator
        )
        for user in (MENTOR, MENTEE):
            shown[user] = text_of(serve.command(user, "notes").json)
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    private = [m for m, kind in sweep.kinds.items() if kind == "private-note"]
    assert all(any(m in text for text in shown.values()) for m in private)
    return stderr, shown


def _env(tandem: Harness, database_url: str, **extra: str) -> dict[str, str]:
    return clean_environment(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=tandem.emulator.url,
        TANDEM_ADMINS=ADMIN,
        TANDEM_AUTO_MIGRATE="false",
        LOG_LEVEL="DEBUG",
        **extra,
    )


@pytest.fixture
def app_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record the app's log handler would write at LOG_LEVEL=DEBUG."""
    caplog.set_level(logging.DEBUG)
    hide = HidePayloads()
    caplog.handler.addFilter(hide)
    yield caplog
    caplog.handler.removeFilter(hide)


@pytest.mark.slow
def test_private_text_reaches_only_its_owners(
    tandem: Harness, database_url: str, app_log: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    sweep = Sweep(tmp_path)
    answers: dict[str, list[str]] = defaultdict(list)
    seed(tandem, sweep, answers)
    admin_before = admin_surfaces(tandem, answers)
    cron = run_due_logs(tandem, sweep, database_url)
    served, shown = serve_logs(tandem, sweep, database_url)
    for user, text in shown.items():
        answers[user].append(text)
    close_privately(tandem, sweep, answers)
    admin_after = admin_surfaces(tandem, answers)
    exported = "\n".join(
        export_csv(sweep, database_url, *args)
        for args in ((), ("--team", tandem.team_id), ("--trends",))
    )

    assert len(set(sweep.kinds.values())) == 10 and len(sweep.kinds) == 12
    seen = seen_by(tandem, answers)
    logs = "\n".join(_record_text(r) for r in app_log.records)
    nowhere = {
        "the admin's views": admin_before + admin_after,
        "tandem export": exported,
        "the app's log": logs,
        "tandem run-due at DEBUG": cron,
        "tandem serve at DEBUG": served,
    }
    leaks = []
    for marker, may in sweep.may.items():
        for viewer in EVERYONE:
            present = marker in seen.get(viewer, "")
            if present and viewer not in may:
                leaks.append(f"{marker} seen by {viewer}")
            if viewer in sweep.must[marker] and not present:
                leaks.append(f"{marker} never shown to {viewer}, who should have seen it")
        for surface, text in nowhere.items():
            if marker in text:
                leaks.append(f"{marker} in {surface}")
    assert not leaks, "\n".join(leaks)


def _record_text(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    return text


@pytest.mark.slow
def test_programme_feedback_reaches_admins_only_as_anonymous_themes(
    tandem: Harness, database_url: str, tmp_path: Path
) -> None:
    """Until five different people have written, admins see a count (one person writing five
    times is one person); from then on, the text without anyone's name."""
    create_active_pair(tandem)
    markers = []
    named = ["Noah", "Maya", "noah@example.com", f"<@{MENTOR}>", MENTOR, MENTEE]
    for n in range(5):
        marker = f"PRIVMARK-programme-{uuid.uuid4().hex[:10]}"
        markers.append(marker)
        text = f"{marker} Maya told Noah (noah@example.com) to ask <@{MENTOR}> first"
        view = command_modal(tandem, MENTEE, "feedback")
        values = {
            "reflection.kind": "general",
            "reflection.text": text,
            "reflection.visibility": "programme",
        }
        assert tandem.slack.submit_view(MENTEE, view, values).problems == []
        answers: dict[str, list[str]] = defaultdict(list)
        admin = admin_surfaces(tandem, answers)
        exported = export_csv(Sweep(tmp_path), database_url)
        if n < 4:
            assert f"{n + 1} entries" in admin or f"{n + 1} entry" in admin
            assert not any(m in admin for m in markers)
        assert not any(m in exported for m in markers)

    themes = text_of(ephemeral_reply(tandem, ADMIN, "admin feedback"))
    assert "5 entries so far" in themes  # five entries, all one person's: still only a count
    assert not any(marker in themes for marker in markers)
    for n in range(4):  # four more people, one entry each
        writer = f"UWRITER{n:02d}"
        tandem.emulator.add_user(writer, f"writer{n}", tz="Europe/Berlin")
        create_active_pair(tandem, mentor=MENTOR, mentee=writer)
        view = command_modal(tandem, writer, "feedback")
        values["reflection.text"] = f"PRIVMARK-other-{n} Maya told Noah to ask <@{MENTOR}> first"
        assert tandem.slack.submit_view(writer, view, values).problems == []

    themes = text_of(ephemeral_reply(tandem, ADMIN, "admin feedback"))
    assert all(marker in themes for marker in markers)  # five people: themes are shown
    for word in named:
        assert word not in themes, word
    seen = seen_by(tandem, {})
    for viewer in (MENTOR, OTHER_MENTEE, OUTSIDER, PUBLIC):
        assert not any(m in seen.get(viewer, "") for m in markers), viewer
