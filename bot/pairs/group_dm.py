"""A pair's home: the group DM (the bot and both people) opened when the pair becomes active.

Activation is committed first and the group DM opened afterwards, outside the transaction, so a
slow Slack never holds a database lock. If Slack will not open it, the pair is active all the
same: both people are welcomed by DM at once, and the scheduler keeps trying to open the group
DM and greets them there when it works (`produce_pair_homes`; it also covers a crash between
the two steps). Code that wants to post to a pair's home and finds `Pair.home_channel_id` empty
should DM each member instead.
"""

import logging
from datetime import datetime
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.core.context import Tandem
from bot.delivery.service import dm_member, post_to_pair
from bot.pairs import blocks as pair_blocks
from storage.models import Pair, PairStatus, Person
from storage.queries.pairs import active_pairs_without_home, pair_for_update, pair_people

log = logging.getLogger(__name__)

# Slack allows conversations.open about 50 times a minute; one tick stays well below that.
HOME_RETRY_BATCH = 20


def open_home(client: WebClient, mentor: Person, mentee: Person) -> str | None:
    """The id of the group DM of the bot and the two people, or None if Slack would not open it."""
    try:
        response = client.conversations_open(users=f"{mentor.user_id},{mentee.user_id}")
    except SlackApiError as error:
        log.warning("could not open a pair home: %s", error.response.get("error"))
        return None
    except (URLError, TimeoutError, ConnectionError, OSError) as error:
        log.warning("could not open a pair home: %s", error)
        return None
    return (response.get("channel") or {}).get("id")


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


def welcome_new_pair(ctx: Tandem, client: WebClient, team_id: str, pair_id: int) -> str | None:
    """Open a just-activated pair's group DM and welcome them there (or by DM if it won't open).

    Returns the home's channel id, if there is one now.
    """
    with ctx.session() as session:
        pair = pair_for_update(session, pair_id, team_id)
        mentor, mentee = pair_people(session, pair)
        home = pair.home_channel_id
    if home is None:
        home = open_home(client, mentor, mentee)
    with ctx.session() as session:
        pair = pair_for_update(session, pair_id, team_id)
        if pair.home_channel_id is None and home is not None:
            pair.home_channel_id = home
            session.add(pair)
        greet(session, pair, mentor, mentee, ctx.clock.now())
        home = pair.home_channel_id
    ctx.on_outbox_changed()
    return home


def produce_pair_homes(ctx: Tandem, session: Session, now: datetime) -> int:
    """Scheduler producer: open the group DM of active pairs that have none yet, and greet there."""
    queued = 0
    for pair in active_pairs_without_home(session, HOME_RETRY_BATCH):
        mentor, mentee = pair_people(session, pair)
        home = open_home(ctx.delivery_client(pair.team_id), mentor, mentee)
        if home is None:
            continue
        pair.home_channel_id = home
        pair.updated_at = now
        session.add(pair)
        queued += greet(session, pair, mentor, mentee, now)
    return queued
