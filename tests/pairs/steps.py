"""What people do in the pairing tests, as Slack would send it: commands, clicks, submissions."""

from typing import Any

from sqlmodel import SQLModel, func, select

from devkit.emulator.driver import Response
from devkit.emulator.server import Call
from storage.models import OutboxMessage, Pair
from tests.support.harness import PEOPLE, Harness

# A charter as someone would fill in the form (action_id → what they enter).
CHARTER_INPUT: dict[str, Any] = {
    "charter.mentor_objectives": "Help Noah grow into a tech lead.",
    "charter.mentee_objectives": "Lead a project end to end.",
    "charter.mentor_success": "Noah leads without me in the room.",
    "charter.mentee_success": "Noah runs the Q3 launch with confidence.",
    "charter.mentor_constraints": "Travelling in March; no Friday meetings.",
    "charter.mentee_constraints": "Launch crunch in June: short sessions then.",
    "charter.focus_areas": "system design\nstakeholders\ncareer",
    "charter.cadence": "weekly",
    "charter.weekday": "1",
    "charter.meeting_time": "10:30",
    "charter.timezone": "Europe/Berlin",
    "charter.session_minutes": "45",
    "charter.meeting_format": "video",
    "charter.async_channel": "this group DM",
    "charter.feedback_candour": "direct",
    "charter.feedback_frequency_weeks": "4",
    "charter.feedback_medium": "written",
    "charter.topics_in_scope": "Design, people, career",
    "charter.topics_out_of_scope": "Salary negotiations",
    "charter.confidentiality": "Everything personal stays between us.",
    "charter.celebration_sharing": "ask",
}


def at(user_id: str) -> str:
    """A mention as Slack escapes it in slash-command text."""
    name = PEOPLE.get(user_id, ("someone", ""))[0]
    return f"<@{user_id}|{name}>"


def count(tandem: Harness, model: type[SQLModel]) -> int:
    """How many rows `model`'s table holds."""
    with tandem.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def outbox_keys(tandem: Harness, prefix: str) -> list[str]:
    """The keys of the messages queued whose key starts with `prefix`, sorted."""
    with tandem.session() as session:
        keys = session.exec(select(OutboxMessage.key)).all()
    return sorted(key for key in keys if key.startswith(prefix))


def the_pair(tandem: Harness) -> Pair:
    """The only pair in the database."""
    with tandem.session() as session:
        return session.exec(select(Pair)).one()


def _posted(kind: str, channel: str | None) -> Any:
    def matches(call: Call) -> bool:
        key = ((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", "")
        return (
            call.method == "chat.postMessage"
            and call.response.get("ok")
            and key.startswith(kind + ":")
            and (channel is None or call.args.get("channel") == channel)
        )

    matches.__name__ = f"posted {kind} to {channel}"
    return matches


def delivered(tandem: Harness, kind: str, channel: str | None = None, n: int = 1) -> list[dict]:
    """The messages of `kind` (outbox kind) posted to `channel`, once `n` of them have arrived."""
    calls = tandem.emulator.wait_for(_posted(kind, channel), count=n)
    return [tandem.emulator.message(c.response["channel"], c.response["ts"]) for c in calls]


def propose(tandem: Harness, proposer: str, mentor: str, mentee: str) -> Response:
    """`/tandem pair @mentor @mentee` by `proposer`."""
    return tandem.slack.command(proposer, f"pair {at(mentor)} {at(mentee)}")


# Answering a proposal replaces it through the click's response_url (chat.update is Tier 3).
BY_RESPONSE_URL = ("pair.accept", "pair.decline")


def click(
    tandem: Harness, message: dict, user: str, action_id: str, answer: str | None = None
) -> Response:
    """`user` clicks `action_id` in `message`; returns once Tandem has answered with `answer`
    (by default, the way that button replaces its message)."""
    if answer is None:
        answer = "response_url" if action_id in BY_RESPONSE_URL else "chat.update"
    before = len(tandem.emulator.calls(answer))
    response = tandem.slack.click_button_in(message, user, action_id=action_id)
    tandem.emulator.wait_for(answer, count=before + 1)
    return response


def click_in_dm(tandem: Harness, user: str, kind: str, action_id: str) -> Response:
    """`user` clicks `action_id` in the latest DM of `kind` Tandem sent them, and it's answered."""
    return click(tandem, delivered(tandem, kind, user)[-1], user, action_id)


def make_active_pair(tandem: Harness, mentor: str, mentee: str) -> int:
    """Propose as the mentor and accept as the mentee, over HTTP; returns the pair id."""
    assert propose(tandem, mentor, mentor, mentee).ok
    click_in_dm(tandem, mentee, "pair.proposal", "pair.accept")
    with tandem.session() as session:
        pair = session.exec(select(Pair).order_by(Pair.id.desc())).first()  # type: ignore[union-attr]
        return pair.id


def open_charter(tandem: Harness, user: str, text: str = "charter") -> dict[str, Any]:
    """Run `/tandem <text>` and return the modal it opened."""
    before = len(tandem.emulator.calls("views.open"))
    response = tandem.slack.command(user, text)
    assert response.ok and not (response.body.strip() and response.json), response.body
    tandem.emulator.wait_for("views.open", count=before + 1)
    view = tandem.emulator.open_view(user)
    assert view is not None
    return view


def submit_charter(tandem: Harness, user: str, view: dict, **changes: Any) -> Response:
    """Fill the charter form with CHARTER_INPUT plus `changes` (action names without prefix)."""
    values = dict(CHARTER_INPUT)
    values.update({f"charter.{name}": value for name, value in changes.items()})
    return tandem.slack.submit_view(user, view, values)
