"""Posting to a pair: in its group DM (its home), through the outbox."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.delivery.service import enqueue
from storage.models import Pair, Person


def post_to_pair(
    session: Session, pair: Pair, *, key: str, kind: str, content: dict[str, Any], now: datetime
) -> int:
    """Queue `content` for the pair's group DM; returns how many messages were queued.

    A pair always gets a group DM when it becomes active; should it have none, each member
    gets the message in their own DM instead, so nothing is silently dropped.
    """
    common = {
        "team_id": pair.team_id,
        "kind": kind,
        "text": content["text"],
        "blocks": content.get("blocks"),
        "deliver_after": now,
        "pair_id": pair.id,
    }
    if pair.home_channel_id:
        return int(enqueue(session, key=key, channel=pair.home_channel_id, **common))
    queued = 0
    for person_id in (pair.mentor_id, pair.mentee_id):
        person = session.get(Person, person_id)
        if person is not None:
            queued += enqueue(
                session,
                key=f"{key}:{person.user_id}",
                channel=person.user_id,
                recipient_user_id=person.user_id,
                **common,
            )
    return queued
