"""A pair's home: the group DM (the bot and both people) opened when the pair becomes active.

Activation is committed first and the group DM opened afterwards, outside the transaction, so a
slow Slack never holds a database lock. If Slack will not open it, the pair is active all the
same: both people are welcomed by DM at once, and the scheduler keeps trying to open the group
DM and greets them there when it works (`produce_pair_homes`; it also covers a crash between
the two steps). Code that wants to post to a pair's home and finds `Pair.home_channel_id` empty
should DM each member instead.

`conversations.open` is a Tier 3 method: about 50 calls a minute per workspace. On a launch
day hundreds of pairs accept within minutes; when Slack answers 429, the click does not wait
(a sleeping listener holds a thread every other click waits for) and nobody is welcomed by DM:
the pair is left to the tick, which opens at most a minute's worth of group DMs each minute
and greets each pair there once (the welcome's outbox key), after Retry-After has passed.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.slack_client import retry_after, without_rate_limit_waits
from bot.delivery.service import dm_member, post_to_pair
from bot.pairs import blocks as pair_blocks
from storage.models import Pair, PairStatus, Person
from storage.queries.pairs import (
    active_pairs_without_home,
    pair_for_update,
    pair_people,
    people_by_id,
)

log = logging.getLogger(__name__)

OPEN = "conversations.open"
# Slack allows conversations.open 50 times a minute per workspace (Tier 3), and the tick runs
# once a minute: a tick never opens more than Slack allows in a minute.
HOME_RETRY_BATCH = 50


@dataclass(frozen=True)
class HomeAttempt:
    """What asking Slack for a pair's group DM gave: its id, or nothing, and whether Slack
    asked us to wait (then the tick opens it later and nobody is welcomed yet)."""

    channel: str | None = None
    later: bool = False


def open_home(
    ctx: Tandem, client: WebClient, team_id: str, mentor: Person, mentee: Person
) -> HomeAttempt:
    """Ask Slack for the group DM of the bot and the two people (not while Slack has asked
    this workspace to wait for conversations.open)."""
    now = ctx.clock.now()
    if ctx.slack_waits.waiting(team_id, OPEN, now):
        return HomeAttempt(later=True)
    try:
        response = client.conversations_open(users=f"{mentor.user_id},{mentee.user_id}")
    except SlackApiError as error:
        wait = retry_after(error)
        if wait is not None:
            ctx.slack_waits.refused(team_id, OPEN, now, wait)
            return HomeAttempt(later=True)
        log.warning("could not open a pair home: %s", error.response.get("error"))
        return HomeAttempt()
    except (URLError, TimeoutError, ConnectionError, OSError) as error:
        log.warning("could not open a pair home: %s", error)
        return HomeAttempt()
    return HomeAttempt(channel=(response.get("channel") or {}).get("id"))


def greet(session: Session, pair: Pair, mentor: Person, mentee: Person, now: datetime) -> int:
    """Queue the welcome: in the home when there is one, else to each of them by DM."""
    if pair.home_channel_id:
        text, blocks = pair_blocks.welcome(pair, mentor, mentee)
        key = f"pair.welcome:{pair.id}"
        kind = "pair.welcome"
        return post_to_pair(
            session, pair, key=key, kind=kind, text=text, blocks=blocks, deliver_after=now
        )
    queued = 0
    for person in (mentor, mentee):
        text, blocks = pair_blocks.welcome_by_dm(pair, mentor, mentee, person)
        queued += dm_member(
            session,
            person.user_id,
            key=f"pair.welcome:{pair.id}:{person.user_id}",
            kind="pair.welcome",
            text=text,
            blocks=blocks,
            deliver_after=now,
            pair=pair,
        )
    return queued


def activate(session: Session, pair: Pair, now: datetime) -> None:
    """Both accepted: the pair is active, and an admin who proposed it is told.

    The caller then opens the home with `welcome_new_pair`, once this is committed.
    """
    pair.status = PairStatus.ACTIVE
    pair.activated_at = now
    pair.updated_at = now
    session.add(pair)
    if pair.proposed_by_id not in (pair.mentor_id, pair.mentee_id):
        mentor, mentee = pair_people(session, pair)
        proposer = session.get(Person, pair.proposed_by_id)
        dm_member(
            session,
            proposer.user_id,
            key=f"pair.activated:{pair.id}:{proposer.user_id}",
            kind="pair.activated",
            text=pair_blocks.activated_notice(mentor, mentee),
            deliver_after=now,
            pair=pair,
        )


def welcome_new_pair(ctx: Tandem, client: WebClient, team_id: str, pair_id: int) -> HomeAttempt:
    """Open a just-activated pair's group DM and welcome them there; by DM if Slack won't open
    it; neither when Slack asked to wait (the tick opens and greets: `produce_pair_homes`).

    Returns the home as it is now (its channel id, or why there is none).
    """
    with ctx.session() as session:
        pair = pair_for_update(session, pair_id, team_id)
        mentor, mentee = pair_people(session, pair)
        home = pair.home_channel_id
    attempt = HomeAttempt(channel=home)
    if home is None:
        attempt = open_home(ctx, without_rate_limit_waits(client), team_id, mentor, mentee)
    if attempt.later:
        return attempt
    with ctx.session() as session:
        pair = pair_for_update(session, pair_id, team_id)
        if pair.home_channel_id is None and attempt.channel is not None:
            pair.home_channel_id = attempt.channel
            session.add(pair)
        greet(session, pair, mentor, mentee, ctx.clock.now())
        home = pair.home_channel_id
    ctx.on_outbox_changed()
    return HomeAttempt(channel=home)


def produce_pair_homes(ctx: Tandem, session: Session, now: datetime) -> int:
    """Scheduler producer: open the group DM of active pairs that have none yet, and greet there.

    At most a minute of Slack's conversations.open budget a tick; a workspace Slack asked to
    wait is passed over until Retry-After has gone by.
    """
    queued = 0
    pairs = active_pairs_without_home(session, HOME_RETRY_BATCH)
    held = people_by_id(session, {i for pair in pairs for i in (pair.mentor_id, pair.mentee_id)})
    for pair in pairs:
        mentor, mentee = pair_people(session, pair)
        attempt = open_home(ctx, ctx.delivery_client(pair.team_id), pair.team_id, mentor, mentee)
        if attempt.channel is None:
            continue
        pair.home_channel_id = attempt.channel
        pair.updated_at = now
        session.add(pair)
        queued += greet(session, pair, mentor, mentee, now)
    del held
    return queued
