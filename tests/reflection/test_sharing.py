"""`/tandem share`: what one member gives the other reaches them by DM, counted both ways."""

import pytest
from sqlmodel import select

from bot.reflection.contribution_rules import guess_kind, parse_share
from storage.models import Contribution
from tests.reflection.helpers import command_modal, reply_text, wait_dm
from tests.support.factories import create_active_pair
from tests.support.harness import MENTEE, MENTOR, OTHER_MENTEE, OUTSIDER, Harness


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("https://martinfowler.com/articles/ship-show-ask.html", "article"),
        ("Try https://github.com/astral-sh/ruff for linting", "tool"),
        ("You should meet <@UPRIYA01>, she ran our last migration", "introduction"),
        ("I reviewed your RFC: section 3 needs a rollback plan", "review"),
        ("Ask 'what would make this a yes?' when stuck", "insight"),
    ],
)
def test_the_kind_is_guessed_from_what_was_written(text: str, kind: str) -> None:
    assert guess_kind(text) == kind


def test_a_kind_named_first_wins_and_slack_links_become_plain() -> None:
    assert parse_share("tool <https://excalidraw.com|excalidraw>") == (
        "tool",
        "excalidraw https://excalidraw.com",
    )
    assert parse_share("<@UP1|noah> intro <@UQ2>", "UP1") == ("introduction", "<@UQ2>")
    assert parse_share("tool") == (None, "tool")  # a lone word is what was shared


def test_sharing_a_link_reaches_the_partner_and_is_counted(tandem: Harness) -> None:
    create_active_pair(tandem)
    text = reply_text(tandem, MENTOR, "share https://example.com/staff-engineer-path")
    assert "as an article" in text and "you've shared 1 with Noah, and Noah 0 with you" in text
    dm = wait_dm(tandem, MENTEE, "staff-engineer-path")
    assert dm["text"] == "Maya shared an article with you"

    reply_text(tandem, MENTEE, "share You should meet <@UOTHER01>, our SRE lead")
    dm = wait_dm(tandem, MENTOR, "our SRE lead")
    assert "<@UOTHER01>" in str(dm["blocks"])  # the person introduced stays a mention
    text = reply_text(tandem, MENTOR, "share insight Write the decision down first.")
    assert "you've shared 2 with Noah, and Noah 1 with you" in text
    with tandem.session() as session:
        kinds = [c.kind for c in session.exec(select(Contribution).order_by(Contribution.id))]
    assert kinds == ["article", "introduction", "insight"]


def test_a_bare_share_opens_the_modal(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTEE, "share")
    tandem.slack.submit_view(
        MENTEE, view, {"reflection.text": "Notes on your talk draft", "reflection.kind": "review"}
    )
    assert "Shared with Maya" in str(tandem.emulator.open_view(MENTEE))
    dm = wait_dm(tandem, MENTOR, "Notes on your talk draft")
    assert "a review of your work" in dm["text"]


def test_with_several_pairs_the_partner_is_named_or_picked(tandem: Harness) -> None:
    create_active_pair(tandem)
    create_active_pair(tandem, mentor=MENTEE, mentee=OTHER_MENTEE)
    reply_text(tandem, MENTEE, f"share <@{OTHER_MENTEE}|ines> Read 'Thinking in Systems'")
    wait_dm(tandem, OTHER_MENTEE, "Thinking in Systems")

    view = command_modal(tandem, MENTEE, "share The two-pizza rule")
    assert any(b.get("block_id") == "pair" for b in view["blocks"])
    initial = next(b for b in view["blocks"] if b.get("block_id") == "text")
    assert initial["element"]["initial_value"] == "The two-pizza rule"


def test_empty_text_in_the_modal_is_a_field_error(tandem: Harness) -> None:
    create_active_pair(tandem)
    view = command_modal(tandem, MENTOR, "share")
    answer = tandem.slack.submit_view(
        MENTOR, view, {"reflection.text": " ", "reflection.kind": "tool"}, check_required=False
    )
    assert answer.json["response_action"] == "errors" and "text" in answer.json["errors"]


def test_outsiders_share_nothing(tandem: Harness) -> None:
    ref = create_active_pair(tandem)
    assert "not in an active mentoring pair" in reply_text(tandem, OUTSIDER, "share a tip")
    response = tandem.slack.click(OUTSIDER, "reflection.share.open", str(ref.pair_id))
    assert response.ok
    tandem.emulator.wait_for("response_url")
    said = tandem.emulator.ephemeral_messages(user=OUTSIDER)[-1]["text"]
    assert "couldn't find that mentorship" in said
    assert tandem.emulator.calls("views.open") == []
