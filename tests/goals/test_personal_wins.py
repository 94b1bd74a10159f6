"""A win outside any goal (`/tandem celebrate`, Home's "Celebrate a win"): shared with the
partner in the group DM, in the celebrations channel only with the owner's consent (as goal
celebrations are), and in no admin view."""

import json
from typing import Any

from sqlmodel import select

from bot.goals.win_rules import parse_win, win_problem
from storage.models import Celebration, OutboxMessage, PersonalWin
from storage.models.goals import ShareStatus
from tests.goals.conftest import Steps
from tests.goals.test_celebration_sharing import channel_posts, settle
from tests.programme.helpers import ephemeral_reply, text_of
from tests.support.factories import DEFAULT_CHARTER, create_active_pair
from tests.support.harness import (
    ADMIN,
    CELEBRATIONS_CHANNEL,
    MENTEE,
    MENTOR,
    OTHER_MENTEE,
    OUTSIDER,
    Harness,
)

TALK = "I gave my first conference talk WIN-MARKER-7f3"


def reply(tandem: Harness, user: str, text: str) -> str:
    return ephemeral_reply(tandem, user, text)["text"]


def wins(tandem: Harness) -> list[PersonalWin]:
    with tandem.session() as session:
        return list(session.exec(select(PersonalWin)))


def win_celebration(tandem: Harness) -> Celebration:
    with tandem.session() as session:
        return session.exec(select(Celebration).where(Celebration.kind == "win")).one()


def admin_views(tandem: Harness) -> str:
    """Everything a programme admin can see: at-risk pairs, the menu, Home and the export."""
    seen = [text_of(ephemeral_reply(tandem, ADMIN, text)) for text in ("admin pairs", "admin")]
    before = len(tandem.emulator.files())
    tandem.slack.click(ADMIN, "admin.export")
    tandem.emulator.wait_for(lambda call: len(tandem.emulator.files()) > before)
    seen.append(tandem.emulator.files()[-1].content.decode())
    published = len(tandem.emulator.calls("views.publish"))
    tandem.slack.open_home(ADMIN)
    tandem.emulator.wait_for("views.publish", count=published + 1)
    seen.append(str(tandem.emulator.home(ADMIN)))
    return "\n".join(seen)


def test_a_win_goes_to_the_partner_and_to_the_channel_only_once_the_owner_says_yes(
    tandem: Harness, with_channel: Steps
) -> None:
    steps = with_channel
    said = reply(tandem, MENTEE, f"celebrate {TALK}")
    assert f"🎉 Celebrated with <@{MENTOR}> in your group DM." in said
    assert f"Share it in <#{CELEBRATIONS_CHANNEL}> too?" in said

    steps.wait_for_post(steps.pair.home_channel_id, kind="celebrate.pair")
    cheer = steps.text_of(steps.latest(steps.pair.home_channel_id, "A win to celebrate"))
    assert f"<@{MENTEE}> has a win to celebrate!" in cheer and TALK in cheer
    assert f"I've asked <@{MENTEE}> whether to share it" in cheer

    steps.wait_for_post(MENTEE, kind="celebrate.ask")
    ask = steps.latest(MENTEE, "Share this in the celebrations channel?")
    assert TALK in steps.text_of(ask) and "Only your words above" in steps.text_of(ask)
    assert channel_posts(tandem) == []
    # Not in any admin view while it waits for the owner's answer.
    assert "WIN-MARKER" not in admin_views(tandem)

    steps.click(MENTEE, ask, "goal.share", "chat.update")
    steps.wait_for_post(CELEBRATIONS_CHANNEL, kind="celebrate.announce")
    [post] = channel_posts(tandem)
    shown = steps.text_of(post)
    assert TALK in shown and f"<@{MENTEE}> (mentee)" in shown and f"<@{MENTOR}> (mentor)" in shown
    for private in ("Help Noah grow", "Lead a project end to end"):
        assert private not in shown
    settle(tandem)
    assert win_celebration(tandem).share_status == ShareStatus.SHARED


def test_a_declined_win_stays_in_the_pair_and_out_of_every_admin_view(
    tandem: Harness, with_channel: Steps
) -> None:
    steps = with_channel
    reply(tandem, MENTEE, f"celebrate {TALK}")
    steps.wait_for_post(MENTEE, kind="celebrate.ask")
    ask = steps.latest(MENTEE, "Share this in the celebrations channel?")
    steps.click(MENTOR, ask, "goal.share", "response_url")  # only the owner decides
    assert win_celebration(tandem).share_status == ShareStatus.ASKED
    steps.click(MENTEE, ask, "goal.noshare", "chat.update")
    settle(tandem)
    assert channel_posts(tandem) == []
    assert win_celebration(tandem).share_status == ShareStatus.DECLINED
    assert "WIN-MARKER" not in admin_views(tandem)


def test_erasing_the_owners_data_removes_their_wins(tandem: Harness, with_channel: Steps) -> None:
    reply(tandem, MENTEE, f"celebrate {TALK}")
    with_channel.wait_for_post(with_channel.pair.home_channel_id, kind="celebrate.pair")
    tandem.slack.command(ADMIN, "admin")
    tandem.slack.click(ADMIN, "admin.open_erase")
    modal = tandem.emulator.wait_for("views.open")[0].response["view"]
    done = tandem.slack.submit_view(
        ADMIN, modal, {("person", "value"): MENTEE, ("confirm", "value"): "DELETE"}
    )
    assert "1 wins" in str(done.json["view"])
    assert wins(tandem) == []
    with tandem.session() as session:
        assert all("WIN-MARKER" not in m.text for m in session.exec(select(OutboxMessage)))


def test_the_charter_decides_always_or_never_as_for_goals(
    tandem: Harness, steps_sharing: Any
) -> None:
    always = steps_sharing("always")
    always.set_channel()
    said = reply(tandem, MENTEE, f"celebrate {TALK}")
    assert "always share wins, so it's going to" in said
    always.wait_for_post(CELEBRATIONS_CHANNEL, kind="celebrate.announce")
    assert len(channel_posts(tandem)) == 1

    never = create_active_pair(
        tandem, mentee=OTHER_MENTEE, charter={**DEFAULT_CHARTER, "celebration_sharing": "never"}
    )
    said = reply(tandem, OTHER_MENTEE, "celebrate Handled a hard conversation with my lead")
    assert said == f"🎉 Celebrated with <@{MENTOR}> in your group DM."
    always.wait_for_post(never.home_channel_id, kind="celebrate.pair")
    settle(tandem)
    assert len(channel_posts(tandem)) == 1
    assert [m for m in tandem.emulator.messages(OTHER_MENTEE) if "Share this" in m["text"]] == []


def test_nothing_to_celebrate_no_pair_or_too_long_is_a_friendly_word(
    tandem: Harness, with_channel: Steps
) -> None:
    assert "What's the win?" in reply(tandem, MENTEE, "celebrate")
    assert "What's the win?" in reply(tandem, MENTEE, f"celebrate   <@{MENTOR}|maya> ")
    assert "not in an active mentoring pair" in reply(tandem, OUTSIDER, "celebrate A new job!")
    long = reply(tandem, MENTEE, "celebrate " + "w" * 501)
    assert "under 500 characters (it has 501)" in long
    assert wins(tandem) == []
    with tandem.session() as session:
        assert session.exec(select(OutboxMessage)).all() == []
    assert tandem.emulator.calls("views.open") == []


def test_help_lists_celebrate_and_a_near_miss_is_pointed_to_it(tandem: Harness) -> None:
    assert "/tandem celebrate [@partner] <win>" in text_of(ephemeral_reply(tandem, MENTEE, "help"))
    assert "/tandem celebrate" in reply(tandem, MENTEE, "celebrat a new job")


def test_someone_in_two_pairs_is_asked_which(tandem: Harness) -> None:
    create_active_pair(tandem)
    ines = create_active_pair(tandem, mentee=OTHER_MENTEE)
    steps = Steps(tandem, ines)
    before = len(tandem.emulator.calls("views.open"))
    response = tandem.slack.command(MENTOR, "celebrate My talk got accepted at PyCon")
    assert response.ok and not response.body.strip()
    tandem.emulator.wait_for("views.open", count=before + 1)
    modal = tandem.emulator.open_view(MENTOR)
    assert modal["callback_id"] == "goal.win"
    text_input = next(b for b in modal["blocks"] if b.get("block_id") == "win.text")
    assert text_input["element"]["initial_value"] == "My talk got accepted at PyCon"
    assert wins(tandem) == []

    unpicked = tandem.slack.submit_view(MENTOR, modal, check_required=False)
    assert unpicked.json["errors"] == {"pair": "Choose which pair to celebrate with."}
    picked = tandem.slack.submit_view(MENTOR, modal, {"pair.pick": str(ines.pair_id)})
    assert picked.problems == [] and "Celebrated with" in str(tandem.emulator.open_view(MENTOR))
    steps.wait_for_post(ines.home_channel_id, kind="celebrate.pair")
    [win] = wins(tandem)
    assert (win.pair_id, win.text) == (ines.pair_id, "My talk got accepted at PyCon")

    # Naming the partner picks the pair at once; anyone else named stays a plain name.
    said = reply(tandem, MENTOR, f"celebrate <@{OTHER_MENTEE}|ines> Told <@{OUTSIDER}|oscar> no")
    assert f"Celebrated with <@{OTHER_MENTEE}>" in said
    assert wins(tandem)[-1].text == "Told @oscar no"


def test_home_has_a_celebrate_button_with_a_small_modal(
    tandem: Harness, with_channel: Steps
) -> None:
    steps = with_channel
    published = len(tandem.emulator.calls("views.publish"))
    tandem.slack.open_home(MENTEE)
    tandem.emulator.wait_for("views.publish", count=published + 1)
    home = tandem.emulator.home(MENTEE)
    opened = len(tandem.emulator.calls("views.open"))
    tandem.slack.click_button_in(home, MENTEE, action_id="home.celebrate")
    tandem.emulator.wait_for("views.open", count=opened + 1)
    modal = tandem.emulator.open_view(MENTEE)
    assert modal["callback_id"] == "goal.win"
    assert json.loads(modal["private_metadata"]) == {"pair": steps.pair.pair_id}  # no picker

    blank = tandem.slack.submit_view(MENTEE, modal, {"win.text": "   \n "})
    assert "Tell me the win in a sentence" in blank.json["errors"]["win.text"]
    assert wins(tandem) == []
    done = tandem.slack.submit_view(MENTEE, modal, {"win.text": "Got the staff promotion!"})
    assert done.problems == []
    assert "Celebrated with" in str(tandem.emulator.open_view(MENTEE))
    steps.wait_for_post(steps.pair.home_channel_id, kind="celebrate.pair")
    steps.wait_for_post(MENTEE, kind="celebrate.ask")

    # Someone else's pair: the button's value pressed by an outsider opens nothing of theirs.
    tandem.slack.click(OUTSIDER, "home.celebrate", value=str(steps.pair.pair_id))
    tandem.emulator.wait_for("views.open", count=opened + 2)
    shown = str(tandem.emulator.open_view(OUTSIDER))
    assert "couldn't find that mentorship" in shown and "goal.win" not in shown


def test_parse_win_takes_the_partner_mention_as_the_pair_and_keeps_other_names() -> None:
    named, text = parse_win("<@U2|noah>  Told <@U9|boss> no,\r\nkindly ", {"U2", "U3"})
    assert (named, text) == ("U2", "Told @boss no,\nkindly")
    assert parse_win("<@U7> shipped it", {"U2"}) == (None, "@someone shipped it")
    assert win_problem("") and win_problem("w" * 501) and win_problem("w" * 500) is None
