"""The whole of issue 3 the way two people live it, over signed HTTP against the emulator."""

from datetime import timedelta

from sqlmodel import select

from storage.models import CharterAck, CharterVersion, Pair, PairStatus
from tests.pairs.steps import click, click_in_dm, delivered, open_charter, propose, submit_charter
from tests.support.harness import MENTEE, MENTOR, Harness


def test_propose_accept_greet_charter_acknowledge_revise_and_history(tandem: Harness) -> None:
    # Maya proposes to mentor Noah: her own proposal is her consent; Noah is asked.
    reply = propose(tandem, MENTOR, MENTOR, MENTEE).json
    assert f"I've asked <@{MENTEE}> to accept" in reply["text"]
    assert reply.get("response_type", "ephemeral") == "ephemeral"

    # Noah accepts in his DM; the message changes in place and the pair is active.
    click_in_dm(tandem, MENTEE, "pair.proposal", "pair.accept")
    welcome = delivered(tandem, "pair.welcome")[0]
    assert welcome["channel"].startswith("G")
    assert f"<@{MENTOR}>" in welcome["text"] and f"<@{MENTEE}>" in welcome["text"]
    proposal = tandem.emulator.messages(MENTEE)[0]
    assert "you're now a mentoring pair" in proposal["text"]
    assert "pair.accept" not in str(proposal["blocks"])
    assert not [m for m in tandem.emulator.messages(MENTOR) if "pair.accept" in str(m["blocks"])]

    # Either of them opens the charter form from the greeting and writes version 1.
    click(tandem, welcome, MENTOR, "charter.open", answer="views.open")
    form = tandem.emulator.open_view(MENTOR)
    assert form["callback_id"] == "charter.save"
    saved = submit_charter(tandem, MENTOR, form)
    assert saved.problems == []
    assert "Saved as version 1" in str(tandem.emulator.open_view(MENTOR)["blocks"])

    # Noah is asked to acknowledge, with what the charter says; he does.
    ask = delivered(tandem, "charter.ack_request", MENTEE)[0]
    assert "version 1" in ask["text"] and "Lead a project end to end" in str(ask["blocks"])
    click(tandem, ask, MENTEE, "charter.ack")
    acked = tandem.emulator.message(ask["channel"], ask["ts"])
    assert "You acknowledged version 1" in acked["text"]
    assert "acknowledged version 1" in delivered(tandem, "charter.acked", MENTOR)[0]["text"]

    # A week later Noah revises it: the form is prefilled with version 1.
    tandem.clock.advance(timedelta(days=7))
    form = open_charter(tandem, MENTEE)
    assert "Version 1, saved by Maya" in str(form["blocks"])
    assert submit_charter(tandem, MENTEE, form, meeting_time="11:00").problems == []
    ask = delivered(tandem, "charter.ack_request", MENTOR)[0]
    assert "version 2" in ask["text"] and "Meeting time" in str(ask["blocks"])
    click(tandem, ask, MENTOR, "charter.ack")

    # History shows both versions, their authors and who acknowledged them.
    history = open_charter(tandem, MENTOR, "charter history")
    shown = str(history["blocks"])
    assert "Version 2" in shown and "Version 1" in shown
    assert "Changed: meeting time." in shown and "First version." in shown
    assert "By Noah" in shown and "By Maya" in shown
    assert shown.count("Acknowledged by Maya") + shown.count("Acknowledged by Noah") == 2

    with tandem.session() as session:
        versions = session.exec(select(CharterVersion).order_by(CharterVersion.version)).all()
        assert [(v.version, v.meeting_time) for v in versions] == [(1, "10:30"), (2, "11:00")]
        assert len(session.exec(select(CharterAck)).all()) == 4
        pair = session.exec(select(Pair)).one()
        assert pair.status == PairStatus.ACTIVE and pair.home_channel_id == welcome["channel"]
    status = str(tandem.slack.command(MENTEE, "status").json["blocks"])
    assert "Charter v2" in status and "Acknowledged by both of you" in status
