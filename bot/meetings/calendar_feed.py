"""A person's private calendar feed: every series of their pairs, kept true as things change.

The address is `TANDEM_PUBLIC_URL/calendar/<token>.ics`. The token is 256 random bits, shown
once when made; only its SHA-256 is stored, so making a new one (the reset) kills the old
address. Any token, known or not, costs one hash and one indexed lookup, so the answer's
timing says nothing about whether it exists.

Each series is one recurring event (RRULE in its own timezone, with VTIMEZONE) under the
series' stable UID: a moved occurrence is an override (RECURRENCE-ID), a skipped or
cancelled one an EXDATE, a pause takes away the occurrences it covers, a pair's end is the
rule's UNTIL. Whenever what a subscriber would see changes, SEQUENCE and LAST-MODIFIED move
(each series' last shown form is remembered). The summary is the partner's name and
"mentoring"; the description links back to Slack, never to notes or agenda text.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.results import Reply, Result
from bot.meetings.ics import Details, calendar_of, series_events
from bot.meetings.members import name_of
from bot.meetings.recurrence_rules import occurrences_after
from bot.meetings.schedule import rhythm_of
from storage.db import reading, session_scope
from storage.models import Meeting, MeetingSeries, Pair, PairStatus, PausedSpan
from storage.queries.calendar import (
    feed_owner,
    feed_series,
    paused_spans,
    record_shown_form,
    replace_feed_token,
    series_rows,
    shown_forms,
)
from storage.queries.people import find_person

FEED_PATH = "/calendar/"
TOKEN_BYTES = 32
# A pause lasts at most a year (bot/meetings/pause.py): at most 53 weekly occurrences.
PAUSED_OCCURRENCES = 60
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def token_hash(token: str) -> str:
    """The stored form of a feed token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def feed_url(public_url: str, token: str) -> str:
    """The https address of the feed for `token`."""
    return f"{public_url.rstrip('/')}{FEED_PATH}{token}.ics"


def new_feed(session: Session, team_id: str, user_id: str, now: datetime) -> str | None:
    """A new feed token for the person (the previous address stops working), or None when
    Tandem does not know them."""
    person = find_person(session, team_id, user_id)
    if person is None or person.erased_at is not None:
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    replace_feed_token(session, person, token_hash(token), now)
    return token


def calendar_link(
    session: Session, public_url: str | None, team_id: str, user_id: str, now: datetime
) -> str:
    """`/tandem preferences calendar`: a new private feed address for the person (the old
    one stops working), as the sentence that gives it to them."""
    if public_url is None:
        return (
            "Calendar subscriptions are not set up in this workspace (TANDEM_PUBLIC_URL). "
            "Use “Add to calendar” under your meeting rhythm for a one-off file."
        )
    token = new_feed(session, team_id, user_id, now)
    if token is None:
        return "I don't know you yet: try again in a minute."
    https = feed_url(public_url, token)
    webcal = "webcal://" + https.split("://", 1)[1]
    return (
        ":calendar: Your private calendar of mentoring meetings. Subscribe in your calendar "
        f"app: <{webcal}|subscribe> (or add this address by URL: {https}). It follows "
        "reschedules, skipped weeks, pauses and endings. Keep it to yourself; asking again "
        "gives a new address and the old one stops working."
    )


def subscribe(ctx: Tandem, session: Session, team_id: str, user_id: str, _pair_id: str) -> Result:
    """ "Subscribe in your calendar": the clicker's own feed address, privately (a feed is a
    person's, holding all their pairs, whichever pair's message they clicked in)."""
    text = calendar_link(session, ctx.settings.public_url, team_id, user_id, ctx.clock.now())
    return Reply(text=text)


class FeedChanged(Exception):
    """A series looks different from when it was last shown: building the feed must record
    its new form (SEQUENCE, LAST-MODIFIED), which a read-only transaction cannot."""


def read_feed(ctx: Tandem, token: str) -> bytes | None:
    """The feed for `token` (None when no feed has it), built from a read that never queues
    behind Slack's writes nor holds them up; only when a series changed since it was last
    shown is it built again in a transaction that records the new form."""
    now = ctx.clock.now()
    try:
        with reading(ctx.engine) as connection, session_scope(connection) as session:
            return feed_calendar(session, token, now, record=False)
    except FeedChanged:
        with ctx.session() as session:
            return feed_calendar(session, token, now)


def feed_calendar(session: Session, token: str, now: datetime, record: bool = True) -> bytes | None:
    """The feed for `token` as an iCalendar file, or None when no feed has that token.
    FeedChanged when a series' new form is to be recorded and `record` is False."""
    person = feed_owner(session, token_hash(token))
    if person is None:
        return None
    shown = feed_series(session, person)
    rows = series_rows(session, [series.id for _, series, _ in shown if series.id is not None])
    by_series: dict[int, list[Meeting]] = {}
    for row in rows:
        by_series.setdefault(row.series_id or 0, []).append(row)
    forms = shown_forms(session, [series.id for _, series, _ in shown if series.id is not None])
    spans: dict[int, list[PausedSpan]] = {}
    for span in paused_spans(session, [pair.id for pair, _, _ in shown if pair.id is not None]):
        spans.setdefault(span.pair_id, []).append(span)
    events = []
    for pair, series, partner in shown:
        if not series.active and pair.status != PairStatus.ENDED:
            continue  # no schedule in force (the charter's cadence could not be one)
        title = f"{name_of(partner)} · mentoring"
        meetings = by_series.get(series.id or 0, [])
        details = Details(
            description=_slack_link(pair),
            until=pair.ended_at if pair.status == PairStatus.ENDED else None,
            removed=_paused_occurrences(series, spans.get(pair.id or 0, [])),
        )
        # What a subscriber sees, without the stamps: when it changes, SEQUENCE moves.
        probe = series_events(series, title, meetings, _EPOCH, _stamped(details, 0, None))
        fingerprint = hashlib.sha256(b"".join(e.to_ical() for e in probe)).hexdigest()
        form = forms.get(series.id or 0)
        if form is None or form.fingerprint != fingerprint:
            if not record:
                raise FeedChanged
            sequence = series.sequence if form is None else max(form.sequence + 1, series.sequence)
            record_shown_form(session, series, fingerprint, sequence, now)
            modified = now
        else:
            sequence, modified = form.sequence, form.modified_at
        events += series_events(series, title, meetings, now, _stamped(details, sequence, modified))
    return calendar_of(events, name="Mentoring (Tandem)")


def _stamped(details: Details, sequence: int, modified: datetime | None) -> Details:
    return Details(details.description, details.until, details.removed, sequence, modified)


def _slack_link(pair: Pair) -> str:
    """Where the pair talks in Slack (their group DM), never anything they wrote."""
    query = {"team": pair.team_id}
    if pair.home_channel_id:
        query["channel"] = pair.home_channel_id
    return (
        f"Your mentoring conversation in Slack: https://slack.com/app_redirect?{urlencode(query)}"
    )


def _paused_occurrences(series: MeetingSeries, spans: list[PausedSpan]) -> tuple[datetime, ...]:
    """The occurrences the pair's pauses covered, each from when it began to when it ended."""
    rhythm, removed = rhythm_of(series), []
    for span in spans:
        began = span.starts_at - timedelta(microseconds=1)
        found = occurrences_after(rhythm, began, PAUSED_OCCURRENCES)
        removed += [at for at in found if at < span.ends_at]
    return tuple(removed)
