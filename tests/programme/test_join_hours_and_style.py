"""Over signed HTTP: the join form asks for working hours, "I'm flexible on hours" and a
working style (all optional), checks the hours, keeps them, and the round uses them: style
breaks a tie between two mentors and the admin is told "similar working style"."""

from typing import Any

from sqlmodel import select

from storage.models import JoinProfile, MatchProposal, OutboxMessage, Person
from tests.programme.helpers import command_modal, join, latest_ephemeral, set_topics, text_of
from tests.support.harness import ADMIN, MENTEE, MENTOR, Harness

SECOND_MENTOR = "UMENTOR02"


def submit_join(tandem: Harness, values: dict[Any, Any]) -> Any:
    modal = command_modal(tandem, MENTEE, "join")
    base = {("role", "value"): "mentee", ("seeks", "value"): ["Python"]}
    response = tandem.slack.submit_view(MENTEE, modal, base | values)
    assert response.ok, response.body
    return response


def test_hours_and_style_from_the_join_form_decide_a_tie(tandem: Harness) -> None:
    tandem.stop_delivery()
    set_topics(tandem, ["Python", "Design"])
    wrong = submit_join(tandem, {("work_start", "value"): "10:00", ("work_end", "value"): "08:00"})
    assert "should end after it starts" in wrong.json["errors"]["work_end"]
    long = submit_join(tandem, {("work_start", "value"): "06:00", ("work_end", "value"): "21:00"})
    assert "up to 14 hours" in long.json["errors"]["work_end"]
    with tandem.session() as session:
        assert session.exec(select(JoinProfile)).all() == []

    submit_join(
        tandem,
        {
            ("work_start", "value"): "07:30",
            ("work_end", "value"): "15:30",
            ("flexible", "value"): ["flexible"],
            ("style_channel", "value"): "spoken",
            ("style_feedback", "value"): "gentle",
        },
    )
    with tandem.session() as session:
        profile = session.exec(select(JoinProfile)).one()
    assert (profile.work_start_minute, profile.work_end_minute) == (450, 930)
    assert profile.flexible_hours is True
    assert (profile.style_channel, profile.style_pace, profile.style_feedback) == (
        "spoken",
        "",
        "gentle",
    )
    again = str(command_modal(tandem, MENTEE, "join"))  # prefilled when they come back
    assert "'initial_time': '07:30'" in again and "'initial_time': '15:30'" in again
    assert "I'm flexible on hours" in again and "'value': 'gentle'" in again

    # Two mentors in Berlin, alike but for their style: the mentee's decides.
    tandem.emulator.add_user(SECOND_MENTOR, "mo", tz="Europe/Berlin")
    join(tandem, MENTOR, "mentor", offers=["Python"])
    modal = command_modal(tandem, SECOND_MENTOR, "join")
    values = {
        ("role", "value"): "mentor",
        ("offers", "value"): ["Python"],
        ("capacity", "value"): "1",
        ("style_channel", "value"): "spoken",
    }
    assert tandem.slack.submit_view(SECOND_MENTOR, modal, values).ok
    before = len(tandem.emulator.ephemeral_messages(user=ADMIN))
    tandem.slack.command(ADMIN, "admin match")
    shown = text_of(latest_ephemeral(tandem, ADMIN, before))
    assert f"<@{SECOND_MENTOR}> → <@{MENTEE}>" in shown
    # Flexible in New York (07:00–21:00) shares 12:00–16:00 UTC with Berlin's working day.
    assert "Working hours overlap: 4h · similar working style" in shown
    with tandem.session() as session:
        proposal = session.exec(select(MatchProposal)).one()
        mentor = session.get(Person, proposal.mentor_id)
    assert mentor.user_id == SECOND_MENTOR and proposal.similar_style
    # Sent, the proposal tells both people why, style included.
    assert tandem.slack.click(ADMIN, "programme.match.send", str(proposal.round_id)).ok
    tandem.settle_listeners()
    with tandem.session() as session:
        asked = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.kind == "pair.proposal", OutboxMessage.recipient_user_id == MENTEE
            )
        ).one()
    assert "a similar working style" in asked.text + str(asked.blocks)
