"""The demo's stage: Tandem over HTTP against the Slack emulator, a pinned clock, a throwaway
SQLite file, and the moves people make (commands, clicks, form submissions, time passing)."""

import tempfile
import threading
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import SQLModel, col, select

from bot.app import build_app, build_tandem
from bot.core.clock import FrozenClock
from bot.core.config import Settings
from bot.scheduler import run_due
from bot.web import BackgroundServer, TandemWSGI
from devkit.demo.blocks import actions_in, button_label
from devkit.demo.transcript import Person, Transcript
from devkit.emulator import SlackDriver, SlackEmulator
from devkit.emulator.driver import Response
from storage.models import OutboxMessage, OutboxStatus

TEAM_ID, BOT_TOKEN, SECRET = "T0DEMO", "xoxb-demo-token", "demo-signing-secret"


class TrackedExecutor(Executor):
    """Bolt's listener pool, counting work in flight so a step can wait for its listeners."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=5, thread_name_prefix="demo-listener")
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._pending += 1
        future = self._pool.submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _: Future[Any]) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._pending == 0, timeout)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Stage:
    """Everything the story needs; every move prints what people saw to the transcript."""

    def __init__(self, transcript: Transcript, start: datetime, channels: dict[str, str]) -> None:
        self.transcript = transcript
        self._tmp = tempfile.TemporaryDirectory(prefix="tandem-demo-")
        self.emulator = SlackEmulator(team_id=TEAM_ID, token=BOT_TOKEN, team_name="Tandem Demo")
        self.emulator.start()
        for p in transcript.people:
            self.emulator.add_user(p.user_id, p.name.lower(), tz=p.tz, real_name=p.name)
            transcript.channels[self.emulator.dm_channel(p.user_id)] = f"DM to {p.name}"
            transcript.story.members[self.emulator.dm_channel(p.user_id)] = (p.user_id,)
        for channel_id, name in channels.items():
            self.emulator.add_channel(channel_id, name)
            transcript.channels[channel_id] = f"#{name}"
        self.clock = FrozenClock(start)
        admins = frozenset(p.user_id for p in transcript.people if p.role == "programme admin")
        settings = Settings(
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SECRET,
            database_url=f"sqlite:///{Path(self._tmp.name) / 'demo.db'}",
            slack_api_url=self.emulator.url,
            admins=admins,
            default_timezone="UTC",
        )
        self.ctx = build_tandem(settings, clock=self.clock, migrate=True)
        # Bolt acks first and finishes listeners on its pool; waiting for that pool to be idle
        # makes every step's output complete and in the same order on every run.
        self._listeners = TrackedExecutor()
        app = build_app(self.ctx, listener_executor=self._listeners)
        self._server = BackgroundServer(TandemWSGI(app, self.ctx)).start()
        self.slack = SlackDriver(self._server.url, SECRET, self.emulator)
        self._seen = 0
        self._told: set[tuple[int | None, datetime]] = set()

    def close(self) -> None:
        """Stop the servers and delete the temporary database."""
        self._server.stop()
        self._listeners.shutdown(wait=True)
        self.ctx.engine.dispose()
        self.emulator.stop()
        self._tmp.cleanup()

    @property
    def now(self) -> datetime:
        return self.clock.now()

    # -- moves -----------------------------------------------------------------------------

    def command(self, person: Person, text: str) -> Response:
        """`person` types `/tandem <text>`."""
        self.transcript.at(self.now)
        self.transcript.act(person, f"types  /tandem {self._readable(text)}")
        response = self.slack.command(person.user_id, text)
        return self._after(person, response)

    def click(self, person: Person, message: dict[str, Any], action_id: str) -> None:
        """`person` clicks the button `action_id` (or the first whose id starts so) in `message`."""
        action = next(a for a in actions_in(message["blocks"]) if a.startswith(action_id))
        label = button_label(message["blocks"], action)
        self.transcript.at(self.now)
        self.transcript.act(
            person, f"clicks [{label}] in {self.transcript.where(message['channel'])}"
        )
        response = self.slack.click_button_in(message, person.user_id, action_id=action)
        self._after(person, response)

    def press(self, person: Person, action_id: str, label: str) -> None:
        """`person` clicks a button in an ephemeral message Tandem just showed them."""
        self.transcript.act(person, f"clicks [{label}]")
        self._after(person, self.slack.click(person.user_id, action_id))

    def submit(self, person: Person, values: dict[Any, Any], what: str) -> Response:
        """`person` fills in the modal in front of them and submits it."""
        view = self.emulator.open_view(person.user_id)
        assert view is not None, f"{person.name} has no modal open"
        self.transcript.act(person, f"submits the form: {what}")
        response = self.slack.submit_view(person.user_id, view, values)
        return self._after(person, response)

    def open_home(self, person: Person) -> None:
        """`person` opens Tandem's Home tab."""
        self.transcript.at(self.now)
        self.transcript.act(person, "opens Tandem's Home tab")
        self._after(person, self.slack.open_home(person.user_id))

    def advance(self, to: datetime, why: str = "") -> None:
        """Let time pass to `to`, doing due work at each moment something is due on the way."""
        while True:
            moment = self._next_due(to)
            self.clock.set(moment)
            if why and moment == to:
                self.transcript.at(moment)
                self.transcript.note(why)
            self._deliver(None)
            if moment >= to:
                return

    # -- looking at Slack ------------------------------------------------------------------

    def latest(self, channel: str, action_id: str) -> dict[str, Any]:
        """The newest message in `channel` (a user id: their DM) with button `action_id`."""
        for message in reversed(self.emulator.messages(channel)):
            if any(a.startswith(action_id) for a in actions_in(message["blocks"])):
                return message
        raise LookupError(f"no message with {action_id} in {channel}")

    def group_dm(self) -> str:
        """The pair's group DM (the first G… conversation Tandem posted to)."""
        for call in self.emulator.calls("chat.postMessage"):
            channel = str(call.response.get("channel", ""))
            if channel.startswith("G"):
                return channel
        raise LookupError("no group DM yet")

    # -- internals -------------------------------------------------------------------------

    def _readable(self, text: str) -> str:
        for p in self.transcript.people:
            text = text.replace(f"<@{p.user_id}|{p.name.lower()}>", f"@{p.name}")
        return text

    def _after(self, person: Person, response: Response) -> Response:
        self._listeners.wait_idle()
        body = response.json if response.body.strip() else None
        self.transcript.reply(person, body)
        self._deliver(person)
        return response

    def _deliver(self, actor: Person | None) -> None:
        """Show what listeners did, then run due work (the outbox) and show what it sent."""
        self._render(actor)
        expired_before = self._expired()
        run_due(self.ctx, self.now)
        self._render(None, heading=True)
        for row in self._held():
            who = self.transcript.where(row.channel)
            if row.status == OutboxStatus.FOLDED:
                what = "goes into the next morning's digest instead"
            else:
                until = _aware(row.deliver_after)
                what = f"waits until {self.transcript.local(row.recipient_user_id, until)}"
            people = self.transcript.story.audience(row.channel)
            self.transcript.aside(f"⏸ {row.kind} for {who} {what} ({row.last_error})", people)
        for row in self._expired()[len(expired_before) :]:
            self.transcript.aside(
                f"✗ not sent to {self.transcript.where(row.channel)}: {row.kind} "
                "was held for quiet hours and was too late by then",
                self.transcript.story.audience(row.channel),
            )

    def _render(self, actor: Person | None, heading: bool = False) -> None:
        calls = self.emulator.calls()[self._seen :]
        self._seen += len(calls)
        visible = [
            c
            for c in calls
            if c.method not in ("users.info", "conversations.open", "views.publish")
        ]
        if heading and visible:
            self.transcript.at(self.now)
        for call in calls:
            if call.method == "conversations.open" and call.response.get("ok"):
                self._name_group(call)
            self.transcript.call(call, actor)

    def _name_group(self, call: Any) -> None:
        channel = call.response["channel"]["id"]
        users = str(call.args.get("users", "")).split(",")
        names = [p.name for p in self.transcript.people if p.user_id in users]
        if len(names) > 1:
            self.transcript.channels[channel] = f"group DM ({' + '.join(names)} + Tandem)"
            members = tuple(p.user_id for p in self.transcript.people if p.user_id in users)
            self.transcript.story.members[channel] = members

    def _held(self) -> list[OutboxMessage]:
        """Rows the delivery gate just held back (quiet hours, daily limit), each told once."""
        with self.ctx.session() as session:
            rows = session.exec(
                select(OutboxMessage)
                .where(
                    or_(
                        and_(
                            OutboxMessage.status == OutboxStatus.PENDING,
                            OutboxMessage.deliver_after > self.now,
                            col(OutboxMessage.last_error).is_not(None),
                        ),
                        OutboxMessage.status == OutboxStatus.FOLDED,
                    )
                )
                .order_by(col(OutboxMessage.id))
            ).all()
            session.expunge_all()
        fresh = [r for r in rows if (r.id, r.deliver_after) not in self._told]
        self._told.update((r.id, r.deliver_after) for r in fresh)
        return fresh

    def _expired(self) -> list[OutboxMessage]:
        with self.ctx.session() as session:
            rows = session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.EXPIRED)
                .order_by(col(OutboxMessage.id))
            ).all()
            session.expunge_all()
            return list(rows)

    def _next_due(self, limit: datetime) -> datetime:
        """The earliest moment after now and up to `limit` when the database says work is due:
        a pending outbox row, or any indexed next_*_at column."""
        now, candidates = self.now, [limit]
        with self.ctx.session() as session:
            pending = session.exec(
                select(func.min(OutboxMessage.deliver_after)).where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.deliver_after > now,
                )
            ).one()
            if pending is not None:
                candidates.append(_aware(pending))
            for table in SQLModel.metadata.sorted_tables:
                for column in table.columns:
                    if column.name.startswith("next_") and column.name.endswith("_at"):
                        found = session.exec(
                            select(func.min(column)).where(column > now)  # type: ignore[call-overload]
                        ).one()
                        if found is not None:
                            candidates.append(_aware(found))
        return min(c for c in candidates if c > now) if any(c > now for c in candidates) else limit
