"""When a cohort ends, over signed HTTP: each live pair's members are invited once, admins
hear the count, Continue changes nothing, Graduate ends the pair as a graduation, and nobody
outside the pair can press the buttons."""

from datetime import timedelta

from sqlmodel import select

from bot.programme.blocks.closing import CONTINUE_ACTION, GRADUATE_ACTION, REVIEW_ACTION
from bot.programme.service.imports import new_cohort
from storage.models import Cohort, OutboxMessage, Pair, PairStatus
from tests.programme.helpers import latest_ephemeral, text_of
from tests.reflection.helpers import click_modal, dms, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, START, Harness

INVITED = "Your cohort *Spring* ended"


def ended_cohort(tandem: Harness, *pair_ids: int) -> int:
    """A cohort that ended yesterday, holding the given pairs; its closing is due this morning."""
    with tandem.session() as session:
        cohort = new_cohort(
            tandem.team_id,
            "Spring",
            START.date() - timedelta(days=90),
            START.date() - timedelta(days=1),
        )
        session.add(cohort)
        session.flush()
        for pair_id in pair_ids:
            pair = session.get(Pair, pair_id)
            pair.cohort_id = cohort.id
            session.add(pair)
        return cohort.id


def invitations(tandem: Harness, user_id: str) -> list[dict]:
    return [m for m in dms(tandem, user_id) if INVITED in text_of(m)]


def test_each_member_is_invited_once_and_admins_hear_the_count(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    outside = create_active_pair(tandem, mentee=OTHER_MENTEE)  # in no cohort: not invited
    cohort_id = ended_cohort(tandem, ref.pair_id)
    tandem.run_due()
    for member, partner in ((MENTOR, MENTEE), (MENTEE, MENTOR)):
        invite = wait_dm(tandem, member, INVITED)
        assert f"<@{partner}>" in invite["text"] or f"<@{partner}>" in text_of(invite)
        shown = text_of(invite)
        for action in (REVIEW_ACTION, GRADUATE_ACTION, CONTINUE_ACTION):
            assert f'"action_id": "{action}"' in shown and f'"value": "{ref.pair_id}"' in shown
    note = wait_dm(tandem, ADMIN, "The cohort “Spring” ended")
    assert "its 1 live pair(s) were invited" in note["text"]
    assert invitations(tandem, OTHER_MENTEE) == []
    with tandem.session() as session:
        cohort = session.get(Cohort, cohort_id)
        assert cohort.closed_at == START and cohort.closing_due_at is None
        assert session.get(Pair, outside.pair_id).status == PairStatus.ACTIVE

    for days in (1, 7, 30):  # the closing is done: later ticks invite nobody again
        tandem.run_due(START + timedelta(days=days))
    assert len(invitations(tandem, MENTOR)) == len(invitations(tandem, MENTEE)) == 1
    with tandem.session() as session:
        kinds = session.exec(
            select(OutboxMessage.kind).where(OutboxMessage.kind.startswith("programme.closing"))
        ).all()
    assert sorted(kinds) == ["programme.closing", "programme.closing", "programme.closing_admin"]


def test_continue_changes_nothing_and_graduate_ends_the_pair_well(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    ended_cohort(tandem, ref.pair_id)
    tandem.run_due()
    mentee_invite = wait_dm(tandem, MENTEE, INVITED)
    mentor_invite = wait_dm(tandem, MENTOR, INVITED)

    # Continue: a kind word to the one who pressed it; the pair and the partner see no change.
    partner_dms = len(dms(tandem, MENTOR))
    before = len(tandem.emulator.ephemeral_messages(user=MENTEE))
    assert tandem.slack.click_button_in(mentee_invite, MENTEE, action_id=CONTINUE_ACTION).ok
    said = text_of(latest_ephemeral(tandem, MENTEE, before))
    assert f"you and <@{MENTOR}> carry on as you are" in said
    with tandem.session() as session:
        pair = session.get(Pair, ref.pair_id)
        assert (pair.status, pair.end_kind, pair.ended_at) == (PairStatus.ACTIVE, None, None)
    assert len(dms(tandem, MENTOR)) == partner_dms

    # Someone outside the pair pressing a copied button is refused and changes nothing.
    for action in (GRADUATE_ACTION, CONTINUE_ACTION, REVIEW_ACTION):
        before = len(tandem.emulator.ephemeral_messages(user=OUTSIDER))
        assert tandem.slack.click(OUTSIDER, action, str(ref.pair_id)).ok
        refusal = text_of(latest_ephemeral(tandem, OUTSIDER, before))
        assert "carry on" not in refusal and "graduat" not in refusal.lower(), refusal
    assert tandem.emulator.open_view(OUTSIDER) is None

    # Graduate: the end form, then a graduation with the thank-you the partner reads.
    modal = click_modal(tandem, MENTOR, mentor_invite, GRADUATE_ACTION)
    answer = tandem.slack.submit_view(
        MENTOR,
        modal,
        {"reflection.how": "graduate", "reflection.thank_you": "Thank you for a great cohort!"},
    )
    assert answer.ok and "graduated" in str(answer.json["view"])
    dm = wait_dm(tandem, MENTEE, "marked your mentorship as graduated")
    assert "Thank you for a great cohort!" in text_of(dm)
    with tandem.session() as session:
        pair = session.get(Pair, ref.pair_id)
        assert (pair.status, pair.end_kind, pair.ended_at) == (PairStatus.ENDED, "graduate", START)
