"""Programme-only feedback is shown to admins once it comes from five different people, over
signed HTTP: someone who writes six times is still one person, and their words stay hidden."""

from bot.programme.theme_rules import K_ANONYMITY
from tests.programme.helpers import command_modal, ephemeral_reply, text_of
from tests.support.factories import create_active_pair
from tests.support.harness import ADMIN, MENTEE, MENTOR, Harness

WAITING = f"themes show once {K_ANONYMITY} different people have written"


def write_for_the_programme(tandem: Harness, user_id: str, text: str) -> None:
    """`/tandem feedback`, sent to the programme only."""
    view = command_modal(tandem, user_id, "feedback")
    values = {
        "reflection.kind": "support",
        "reflection.text": text,
        "reflection.visibility": "programme",
    }
    assert tandem.slack.submit_view(user_id, view, values).problems == []


def admin_feedback(tandem: Harness) -> str:
    return text_of(ephemeral_reply(tandem, ADMIN, "admin feedback"))


def test_one_person_writing_six_times_is_one_author_not_six(tandem: Harness) -> None:
    create_active_pair(tandem)
    own = [f"KANON-first-{n} the agenda comes late" for n in range(6)]
    for text in own:
        write_for_the_programme(tandem, MENTEE, text)
    shown = admin_feedback(tandem)
    assert "6 entries so far" in shown and WAITING in shown, shown
    assert not any(text in shown for text in own)
    cohorts = text_of(ephemeral_reply(tandem, ADMIN, "admin cohorts"))
    assert "Programme feedback: 6 entries" in cohorts and "themes in" not in cohorts

    # Three more people write once each: nine entries, four people, still only a count.
    others = [f"UKANON{n:03d}" for n in range(K_ANONYMITY - 1)]
    for user_id in others:
        tandem.emulator.add_user(user_id, user_id.lower(), tz="Europe/Berlin")
        create_active_pair(tandem, mentor=MENTOR, mentee=user_id)
    theirs = [f"KANON-other-{n} more time for questions" for n in range(len(others))]
    for user_id, text in zip(others[:-1], theirs[:-1], strict=True):
        write_for_the_programme(tandem, user_id, text)
    shown = admin_feedback(tandem)
    assert "9 entries so far" in shown and WAITING in shown, shown
    assert not any(text in shown for text in own + theirs)

    # The fifth person: themes, every entry once, nobody named.
    write_for_the_programme(tandem, others[-1], theirs[-1])
    shown = admin_feedback(tandem)
    assert "10 entries" in shown and WAITING not in shown, shown
    assert all(shown.count(text) == 1 for text in own + theirs)
    assert not any(user_id in shown for user_id in [MENTEE, *others])
    cohorts = text_of(ephemeral_reply(tandem, ADMIN, "admin cohorts"))
    assert "Programme feedback: 10 entries, themes in `/tandem admin feedback`" in cohorts
