"""Playing a season: Tandem over signed HTTP against the emulator, the clock moving on.

The admin proposes every pair, both people accept, the mentor writes the charter (starting
on the season's first Monday) and the mentee acknowledges it, each step a real request.
Until the season starts, the clock moves in half days; in the season, in random steps of 15
to 60 minutes, each followed by `run_due` (what `tandem run-due` does). After each step,
people answer the "did you meet?" questions in front of them as their pair's behaviour says,
during their own waking hours.
"""

import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from bench.common import SECRET, TEAM, TOKEN
from bench.season_cast import ADMIN, DRIFTING, GHOST, PAIRING_AT, SEASON_START, PairPlan, people_of
from bot.app import build_app, build_tandem
from bot.charter.blocks import ACK_ACTION
from bot.core.clock import FrozenClock
from bot.core.config import Settings
from bot.core.context import Tandem
from bot.meetings.blocks.messages import MET, SKIP
from bot.pairs.blocks import ACCEPT_ACTION, OPEN_CHARTER_ACTION
from bot.scheduler import run_due
from bot.web import BackgroundServer, TandemWSGI
from devkit.demo.blocks import actions_in
from devkit.demo.script import CHARTER
from devkit.demo.stage import TrackedExecutor
from devkit.emulator import SlackDriver, SlackEmulator
from storage.models import Pair

AWAKE = (time(9, 0), time(19, 0))  # when people answer what Tandem asks
BEFORE_SEASON_STEP = timedelta(hours=12)


@dataclass
class Played:
    """What the season left behind, for the figures: the app (its database) and the emulator."""

    ctx: Tandem
    emulator: SlackEmulator
    cast: tuple[PairPlan, ...]
    pair_ids: dict[str, int]  # plan label -> pair id
    start: datetime  # the season's first instant (UTC midnight of its first Monday)
    end: datetime
    ticks: int = 0
    answers: dict[str, list[tuple[datetime, str]]] = field(default_factory=dict)


class _Season:
    """The running app, the emulator and the people's moves."""

    def __init__(self, ctx: Tandem, emulator: SlackEmulator, app_url: str, listeners: Any):
        self.ctx, self.emulator, self.listeners = ctx, emulator, listeners
        self.slack = SlackDriver(app_url, SECRET, emulator)
        self.clicked: set[tuple[str, str]] = set()

    @property
    def now(self) -> datetime:
        return self.ctx.clock.now()

    def settle(self) -> None:
        """Wait for the listeners, then deliver what they queued."""
        self.listeners.wait_idle()
        run_due(self.ctx, self.now)

    def tick(self, at: datetime) -> None:
        """Move the clock to `at` and do the due work."""
        self.ctx.clock.set(at)  # type: ignore[attr-defined]
        run_due(self.ctx, at)

    def command(self, user_id: str, text: str) -> None:
        self.slack.command(user_id, text)
        self.settle()

    def unclicked(self, channel: str, action_id: str) -> list[dict[str, Any]]:
        """Messages in `channel` offering `action_id` that nobody here clicked yet."""
        return [
            m
            for m in self.emulator.messages(channel)
            if (m["channel"], m["ts"]) not in self.clicked
            and any(a.startswith(action_id) for a in actions_in(m["blocks"]))
        ]

    def click(self, user_id: str, message: dict[str, Any], action_id: str) -> None:
        self.clicked.add((message["channel"], message["ts"]))
        action = next(a for a in actions_in(message["blocks"]) if a.startswith(action_id))
        self.slack.click_button_in(message, user_id, action_id=action)
        self.settle()


def _mention(user_id: str, name: str) -> str:
    return f"<@{user_id}|{name}>"


def _charter(plan: PairPlan) -> dict[str, Any]:
    return {
        **CHARTER,
        "charter.cadence": plan.cadence,
        "charter.weekday": str(plan.weekday),
        "charter.meeting_time": plan.time,
        "charter.timezone": plan.zone,
        "charter.starts_on": SEASON_START.isoformat(),
    }


def _pass(season: _Season, until: datetime, step: timedelta) -> None:
    at = season.now
    while at < until:
        at = min(at + step, until)
        season.tick(at)


def _set_up(season: _Season, cast: tuple[PairPlan, ...]) -> dict[str, int]:
    """Propose, accept, write and acknowledge every charter; returns the pair ids."""
    admin_id = ADMIN[0]
    for plan in cast:
        season.command(
            admin_id,
            f"pair {_mention(plan.mentor.user_id, plan.mentor.name)} "
            f"{_mention(plan.mentee.user_id, plan.mentee.name)}",
        )
    _pass(season, season.now + timedelta(days=1), timedelta(hours=1))
    for person in people_of(cast):
        for message in season.unclicked(person.user_id, ACCEPT_ACTION):
            season.click(person.user_id, message, ACCEPT_ACTION)
    _pass(season, season.now + timedelta(days=1), timedelta(hours=1))
    with season.ctx.session() as session:
        pairs = session.exec(select(Pair).order_by(Pair.id)).all()
        homes = {(p.id, p.home_channel_id) for p in pairs}
    pair_ids: dict[str, int] = {}
    for plan, (pair_id, home) in zip(cast, sorted(homes), strict=True):
        pair_ids[plan.label] = pair_id
        assert home, f"pair {plan.label} has no group DM"
        opener = season.unclicked(home, OPEN_CHARTER_ACTION)[0]
        season.click(plan.mentor.user_id, opener, OPEN_CHARTER_ACTION)
        view = season.emulator.open_view(plan.mentor.user_id)
        assert view is not None, f"{plan.label}: no charter form"
        season.slack.submit_view(plan.mentor.user_id, view, _charter(plan))
        season.settle()
    _pass(season, season.now + timedelta(days=1), timedelta(hours=1))
    for person in people_of(cast):
        for message in season.unclicked(person.user_id, ACK_ACTION):
            season.click(person.user_id, message, ACK_ACTION)
    return pair_ids


def _awake(zone: str, at: datetime) -> bool:
    local = at.astimezone(ZoneInfo(zone)).time()
    return AWAKE[0] <= local < AWAKE[1]


def _answer(season: _Season, played: Played, homes: dict[str, str]) -> None:
    """Each pair answers the "did you meet?" questions in its group DM, as it behaves."""
    for plan in played.cast:
        if plan.behaviour == GHOST:
            continue
        answerer = plan.mentee
        if not _awake(answerer.tz, season.now):
            continue
        for question in season.unclicked(homes[plan.label], MET):
            answered = played.answers.setdefault(plan.label, [])
            met = plan.behaviour != DRIFTING or len(answered) % 2 == 0
            season.click(answerer.user_id, question, MET if met else SKIP)
            answered.append((season.now, "met" if met else "skipped"))


def _homes(season: _Season, pair_ids: dict[str, int]) -> dict[str, str]:
    with season.ctx.session() as session:
        return {
            label: str(session.get(Pair, pair_id).home_channel_id)  # type: ignore[union-attr]
            for label, pair_id in pair_ids.items()
        }


@contextmanager
def played_season(
    database_url: str, cast: tuple[PairPlan, ...], weeks: int, seed: int = 17
) -> Iterator[Played]:
    """Play `weeks` weeks of `cast` on `database_url`; yields what it left (still running)."""
    emulator = SlackEmulator(team_id=TEAM, token=TOKEN, team_name="Tandem Season")
    emulator.start()
    for user_id, name, tz in [ADMIN, *((p.user_id, p.name, p.tz) for p in people_of(cast))]:
        emulator.add_user(
            user_id, name, tz=tz, real_name=name.title(), is_admin=user_id == ADMIN[0]
        )
    settings = Settings(
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        database_url=database_url,
        slack_api_url=emulator.url,
        admins=frozenset({ADMIN[0]}),
        default_timezone="UTC",
    )
    ctx = build_tandem(settings, clock=FrozenClock(PAIRING_AT), migrate=True)
    listeners = TrackedExecutor()
    server = BackgroundServer(TandemWSGI(build_app(ctx, listener_executor=listeners), ctx))
    server.start()
    try:
        season = _Season(ctx, emulator, server.url, listeners)
        pair_ids = _set_up(season, cast)
        zone = ZoneInfo("UTC")
        start = datetime.combine(SEASON_START, time(0, 0), zone)
        end = start + timedelta(weeks=weeks)
        _pass(season, start, BEFORE_SEASON_STEP)
        played = Played(ctx, emulator, cast, pair_ids, start, end)
        homes = _homes(season, pair_ids)
        steps = random.Random(seed)
        at = start
        while at < end:
            at = min(at + timedelta(minutes=steps.randint(15, 60)), end)
            season.tick(at)
            played.ticks += 1
            _answer(season, played, homes)
        yield played
    finally:
        server.stop()
        listeners.shutdown(wait=True)
        ctx.engine.dispose()
        emulator.stop()


@contextmanager
def sqlite_database() -> Iterator[str]:
    """A throwaway SQLite file."""
    with tempfile.TemporaryDirectory(prefix="tandem-season-") as directory:
        yield f"sqlite:///{Path(directory) / 'season.db'}"
