"""Acting as people in Slack and looking at what they received, for the reflection tests."""

import json
from datetime import datetime
from typing import Any

from sqlmodel import select

from storage.models import Goal, Meeting, MeetingStatus, OutboxMessage, Pair, PairStatus
from tests.support.harness import Harness


def everything(message: dict[str, Any]) -> str:
    """A message's text and blocks as one string, for "does it say X" checks."""
    return (message.get("text") or "") + json.dumps(message.get("blocks") or [])


def dms(tandem: Harness, user_id: str) -> list[dict[str, Any]]:
    """Messages in the bot's DM with `user_id`, oldest first."""
    return tandem.emulator.messages(user_id)


def dm_text(tandem: Harness, user_id: str) -> str:
    """Everything the bot has said to `user_id` in their DM."""
    return "\n".join(everything(m) for m in dms(tandem, user_id))


def wait_dm(
    tandem: Harness, user_id: str, contains: str, count: int = 1, timeout: float = 20.0
) -> dict[str, Any]:
    """Wait until `user_id` got `count` DMs containing `contains` (at most `timeout` seconds);
    returns the latest."""

    def sent(call: Any) -> bool:
        args = call.args or {}
        return (
            call.method == "chat.postMessage"
            and args.get("channel") == user_id
            and bool(call.response.get("ok"))
            and contains in (str(args.get("text")) + json.dumps(args.get("blocks"), default=str))
        )

    tandem.emulator.wait_for(sent, timeout, count=count)
    matching = [m for m in dms(tandem, user_id) if contains in everything(m)]
    return matching[-1]


def modal_after(tandem: Harness, user_id: str, opened_before: int) -> dict[str, Any]:
    """The modal `user_id` sees once one more views.open has happened."""
    tandem.emulator.wait_for("views.open", count=opened_before + 1)
    view = tandem.emulator.open_view(user_id)
    assert view is not None, tandem.emulator.dump_calls()
    return view


def command_modal(tandem: Harness, user_id: str, text: str) -> dict[str, Any]:
    """Run `/tandem <text>` and return the modal it opened."""
    before = len(tandem.emulator.calls("views.open"))
    response = tandem.slack.command(user_id, text)
    assert response.ok and not (response.json or {}).get("text"), response.body
    return modal_after(tandem, user_id, before)


def click_modal(
    tandem: Harness, user_id: str, message: dict[str, Any], action_id: str, value: str | None = None
) -> dict[str, Any]:
    """Click a button in a message and return the modal it opened."""
    before = len(tandem.emulator.calls("views.open"))
    response = tandem.slack.click_button_in(message, user_id, action_id=action_id, value=value)
    assert response.ok
    return modal_after(tandem, user_id, before)


def reply_text(tandem: Harness, user_id: str, text: str) -> str:
    """The private answer to `/tandem <text>`."""
    response = tandem.slack.command(user_id, text)
    assert response.ok
    return (response.json or {}).get("text", "")


def last_ephemeral(tandem: Harness, user_id: str) -> str:
    """The newest ephemeral message `user_id` saw (from a response_url)."""
    tandem.emulator.wait_for("response_url")
    found = tandem.emulator.ephemeral_messages(user=user_id)
    assert found, tandem.emulator.dump_calls()
    return everything(found[-1])


def set_status(tandem: Harness, pair_id: int, status: str) -> None:
    """Pause or resume a pair the way the meetings area does (only the status matters here)."""
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        pair.status = status
        session.add(pair)


def add_meeting(tandem: Harness, pair_id: int, starts_at: datetime, met: bool = True) -> None:
    """A meeting row as the meetings area records it."""
    with tandem.session() as session:
        session.add(
            Meeting(
                team_id=tandem.team_id,
                pair_id=pair_id,
                occurrence_at=starts_at,
                starts_at=starts_at,
                status=MeetingStatus.MET if met else MeetingStatus.SKIPPED,
            )
        )


def add_goal(tandem: Harness, pair_id: int, title: str, percent: int = 0) -> int:
    """A goal row as the goals area records it; returns its id."""
    with tandem.session() as session:
        pair = session.get(Pair, pair_id)
        goal = Goal(
            team_id=tandem.team_id,
            pair_id=pair_id,
            owner_id=pair.mentee_id,
            created_by_id=pair.mentee_id,
            title=title,
            percent=percent,
        )
        session.add(goal)
        session.flush()
        return goal.id


def outbox(tandem: Harness, pair_id: int) -> list[OutboxMessage]:
    """The pair's outbox rows."""
    with tandem.session() as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.pair_id == pair_id)))


ACTIVE, PAUSED = PairStatus.ACTIVE, PairStatus.PAUSED
