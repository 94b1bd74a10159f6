"""What a played season measures, read from the outbox and the meetings it left behind.

- Messages per person per meeting week: every message delivered to a person in the season
  (a DM to them, a post in a conversation they are in; a digest counts once), divided by the
  weeks in which they had a meeting. A message about one meeting (its reminders, "did you
  meet?", moved, skipped and logged notices) counts only when that meeting is in the season:
  the reminder sent on the last Sunday for the Monday after it belongs to a week not counted.
  A post in a pair's group DM counts once for each of its two readers: one message, seen
  by two people, is a message to each.
- "Did you meet?" asked again: the re-asks delivered (once a meeting at most, when nobody
  answered), by pair.
- Time-critical lost: each meeting's reminders (every member, every offset the pair keeps)
  and its "did you meet?" that were folded, expired, or never sent before they mattered.
- Quiet-hour deliveries: messages delivered while a recipient was in the default quiet hours.
- Lapse nudges: when, and whether the pair had in fact met (or not yet been due to).
- Anniversaries: every "months together" cheer, whenever it was sent.
- Digests: what each one held, and how many buttons and links it offered.
"""

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bench.season_cast import ADMIN, people_of
from bench.season_run import Played
from bot.delivery.policy_rules import QuietHours
from bot.meetings import keys
from bot.meetings.recurrence_rules import cadence_period
from storage.models import Meeting, MeetingSeries, MeetingStatus, OutboxMessage, OutboxStatus, Pair

TIME_CRITICAL = (keys.REMINDER, keys.FOLLOWUP)
LAPSE_KINDS = (keys.LAPSE, keys.LAPSE_ADMIN)
ANNIVERSARY_MARK = ":anniversary:"  # in a cheer's key (bot/delivery/kinds.py)
CLOCK_MARK = "changed its clocks"  # in a reminder that says a clock change moved the meeting
DRIFT_MARK = "drift"  # the kind of a drift offer, once Tandem makes them
_LINK = re.compile(r"<(https?://[^|>]+)")
# Kinds whose key names the meeting they are about: "<kind>:<pair id>:<meeting id>.…" or
# "<kind>:<pair id>:<meeting id>" (bot/meetings/keys.py).
ABOUT_A_MEETING = (keys.REMINDER, keys.FOLLOWUP, keys.MOVED, keys.SKIPPED, keys.LOGGED)
SNOOZED = "snooze:"  # a snoozed nudge's copy (bot/meetings/snooze.py)


@dataclass
class Figures:
    """The season's measurements."""

    weeks: int
    per_person: dict[str, float]  # name -> messages per meeting week
    by_kind: dict[str, float]  # kind -> mean per person per meeting week
    lost: Counter[str] = field(default_factory=Counter)  # "folded", "expired", "never sent"
    lost_detail: list[str] = field(default_factory=list)
    quiet: list[str] = field(default_factory=list)
    lapses: list[str] = field(default_factory=list)
    lapse_false_alarms: int = 0
    lapse_pairs: set[str] = field(default_factory=set)
    lapse_counts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (pair, to whom)
    anniversaries: list[str] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    clock_changes: list[str] = field(default_factory=list)  # "taro on 28 Mar", one per notice
    digests: list[str] = field(default_factory=list)
    reasks: Counter[str] = field(default_factory=Counter)  # pair label -> "did you meet?" again
    left_out: Counter[str] = field(default_factory=Counter)  # kind -> sent, about a later meeting

    @property
    def lost_total(self) -> int:
        """Every time-critical message lost."""
        return sum(self.lost.values())

    def person(self, name: str) -> float:
        """One person's messages per meeting week."""
        return self.per_person[name]


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _recipients(row: OutboxMessage) -> list[str]:
    return [row.recipient_user_id] if row.recipient_user_id else list(row.audience or [])


def meeting_of(row: OutboxMessage, by_id: dict[int, OutboxMessage]) -> int | None:
    """The id of the meeting `row` is about, for the kinds that are about one meeting (a
    snoozed copy, "snooze:<row id>", is about its original's)."""
    if row.kind not in ABOUT_A_MEETING:
        return None
    if row.key.startswith(SNOOZED):
        original = by_id.get(int(row.key.removeprefix(SNOOZED)))
        return meeting_of(original, by_id) if original is not None else None
    return int(row.key.split(":")[2].split(".")[0])


def measure(played: Played) -> Figures:
    """Read the figures of `played` from its database."""
    with played.ctx.session() as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        meetings = session.exec(select(Meeting).order_by(col(Meeting.starts_at))).all()
        pairs = {p.id: p for p in session.exec(select(Pair)).all()}
        series = {s.pair_id: s for s in session.exec(select(MeetingSeries)).all()}
        session.expunge_all()
    label_of = {pair_id: label for label, pair_id in played.pair_ids.items()}
    plan_of = {plan.label: plan for plan in played.cast}
    members = {pid: [m.user_id for m in plan_of[label].members] for pid, label in label_of.items()}
    names = {m.user_id: m.name for m in people_of(played.cast)} | {ADMIN[0]: ADMIN[1]}
    zones = {m.user_id: m.tz for m in people_of(played.cast)} | {ADMIN[0]: ADMIN[2]}
    in_season = [
        m
        for m in meetings
        if played.start <= _aware(m.starts_at) < played.end  # type: ignore[operator]
        and m.status != MeetingStatus.CANCELLED
    ]
    # Cancelled ones too: a notice that a meeting of the season was skipped is the season's.
    season_meetings = {
        m.id
        for m in meetings
        if played.start <= _aware(m.starts_at) < played.end  # type: ignore[operator]
    }
    weeks: dict[str, set[int]] = defaultdict(set)
    for meeting in in_season:
        for user_id in members[meeting.pair_id]:
            weeks[user_id].add((_aware(meeting.starts_at) - played.start).days // 7)  # type: ignore[operator]

    delivered = [
        r
        for r in rows
        if r.status == OutboxStatus.SENT and played.start <= _aware(r.sent_at) < played.end  # type: ignore[operator]
    ]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    quiet, quiet_hours = [], QuietHours()
    by_id = {r.id: r for r in rows if r.id is not None}
    left_out: Counter[str] = Counter()
    for row in delivered:
        about = meeting_of(row, by_id)
        counted = about is None or about in season_meetings
        for user_id in _recipients(row):
            if counted:
                counts[user_id][row.kind] += 1
            else:
                left_out[row.kind] += 1
            local = _aware(row.sent_at).astimezone(ZoneInfo(zones.get(user_id, "UTC")))  # type: ignore[union-attr]
            if quiet_hours.contains(local.time()):
                quiet.append(
                    f"{row.kind} to {names.get(user_id, user_id)} at {local:%a %d %b %H:%M}"
                )
    people = [p for p in weeks if weeks[p]]
    per_person = {names[p]: sum(counts[p].values()) / len(weeks[p]) for p in people}
    kinds = sorted({k for p in people for k in counts[p]})
    by_kind = {k: sum(counts[p][k] / len(weeks[p]) for p in people) / len(people) for k in kinds}
    figures = Figures(
        len({w for p in people for w in weeks[p]}),
        per_person,
        by_kind,
        quiet=quiet,
        left_out=left_out,
    )
    _lost(figures, played, rows, in_season, pairs, members, names, label_of)
    _lapses(figures, played, rows, meetings, series, label_of)
    figures.drift = [
        f"{label_of.get(r.pair_id, '?')} on {_aware(r.sent_at):%d %b}"  # type: ignore[arg-type]
        for r in delivered
        if DRIFT_MARK in r.kind
    ]
    # A clock change that moved someone's meeting, told in their reminder or a notice of its own.
    figures.clock_changes = [
        f"{names.get(r.recipient_user_id or '', '?')} on {_aware(r.sent_at):%d %b}"  # type: ignore[arg-type]
        for r in delivered
        if r.kind == keys.REMINDER and CLOCK_MARK in str(r.blocks)
    ]
    figures.anniversaries = [
        f"{label_of.get(r.pair_id, '?')} on {_aware(r.sent_at):%d %b}: {r.text}"  # type: ignore[arg-type]
        for r in rows
        if r.status == OutboxStatus.SENT and ANNIVERSARY_MARK in r.key
    ]
    figures.reasks = Counter(
        label_of.get(r.pair_id or 0, "?")
        for r in delivered
        if r.kind == keys.FOLLOWUP and r.key.endswith(":again")
    )
    _digests(figures, rows, names, zones, played)
    return figures


def _lost(figures, played, rows, in_season, pairs, members, names, label_of) -> None:  # type: ignore[no-untyped-def]
    """Reminders and follow-ups that did not reach people while they still mattered."""
    by_key = {r.key: r for r in rows}
    for meeting in in_season:
        starts = _aware(meeting.starts_at)
        label = label_of[meeting.pair_id]
        expected: list[tuple[str, str]] = []
        if starts <= played.end:
            for offset in pairs[meeting.pair_id].reminder_offsets:
                for user_id in members[meeting.pair_id]:
                    what = f"{offset}-minute reminder for {names[user_id]}"
                    expected.append((keys.reminder_key(meeting, offset, user_id), what))
        if starts + timedelta(days=1) <= played.end:
            expected.append((keys.followup_key(meeting), "did-you-meet"))
        for key, what in expected:
            row = by_key.get(key)
            if row is not None and row.status == OutboxStatus.SENT:
                continue
            if row is not None and row.status == OutboxStatus.FOLDED:
                # Even when its digest went out before the meeting, it arrived buried in
                # the next morning's digest, not as a reminder.
                why = "folded"
            elif row is not None and row.status == OutboxStatus.EXPIRED:
                why = "expired"
            else:
                why = "never sent"
            figures.lost[why] += 1
            figures.lost_detail.append(f"{label} {starts:%a %d %b %H:%M}Z: {what} {why}")


def _lapses(figures, played, rows, meetings, series, label_of) -> None:  # type: ignore[no-untyped-def]
    """Every lapse nudge, and whether the pair had truly lapsed when it was sent."""
    met: dict[int, list[datetime]] = defaultdict(list)
    first: dict[int, datetime] = {}
    for meeting in meetings:
        starts = _aware(meeting.starts_at)
        first.setdefault(meeting.pair_id, starts)
        if meeting.status == MeetingStatus.MET:
            met[meeting.pair_id].append(starts)
    for row in rows:
        if row.kind not in LAPSE_KINDS or row.status != OutboxStatus.SENT:
            continue
        pair_id = int(row.key.split(":")[1])  # an admin's note names the pair only in its key
        at, label = _aware(row.sent_at), label_of.get(pair_id, "?")
        step = cadence_period(series[pair_id].rrule)
        last = max((m for m in met[pair_id] if m < at), default=None)
        quiet_since = last or first.get(pair_id, at)
        false = quiet_since + 2 * step > at or at < first.get(pair_id, at)
        who = "admin" if row.kind == keys.LAPSE_ADMIN else "pair"
        verdict = "FALSE ALARM" if false else "lapsed"
        figures.lapses.append(f"{label} → {who} on {at:%a %d %b}: {verdict}")
        figures.lapse_false_alarms += false
        figures.lapse_pairs.add(label)
        figures.lapse_counts[(label, who)] += 1


def _digests(figures, rows, names, zones, played) -> None:  # type: ignore[no-untyped-def]
    """What each digest delivered in the season held, and what it let people do."""
    folded: dict[str, list[OutboxMessage]] = defaultdict(list)
    for row in rows:
        if row.folded_into:
            folded[row.folded_into].append(row)
    for row in rows:
        if row.kind != "digest" or row.status != OutboxStatus.SENT:
            continue
        sent = _aware(row.sent_at)
        if not played.start <= sent < played.end:  # type: ignore[operator]
            continue
        blocks = row.blocks or []
        buttons = sum(1 for b in blocks for e in b.get("elements", []) if e.get("type") == "button")
        buttons += sum(1 for b in blocks if (b.get("accessory") or {}).get("type") == "button")
        links = len(_LINK.findall(str(blocks)))
        items = ", ".join(r.kind for r in folded[row.key]) or "nothing"
        who = names.get(row.recipient_user_id or "", row.recipient_user_id)
        local = sent.astimezone(ZoneInfo(zones.get(row.recipient_user_id or "", "UTC")))
        figures.digests.append(
            f"{who} {local:%a %d %b}: {items} ({buttons} buttons, {links} links)"
        )


def summary(values: list[float]) -> tuple[float, float, float]:
    """(mean, p50, max)."""
    return statistics.fmean(values), statistics.median(values), max(values)
