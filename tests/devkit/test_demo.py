"""`tandem demo`: the whole story runs offline and the transcript shows its key moments."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.core.slack_time import bare_clock_times
from devkit.demo import play
from devkit.demo.story import EPHEMERAL, MESSAGE, MODAL, Story
from devkit.demo.transcript import Transcript

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Transcript, str]:
    """The demo, run once in-process from an empty directory, and what it printed."""
    cwd = tmp_path_factory.mktemp("demo-cwd")
    before = Path.cwd()
    os.chdir(cwd)
    try:
        out = io.StringIO()
        told = play(out)
    finally:
        os.chdir(before)
    assert not any(cwd.iterdir()), "the demo must not leave files where it is run"
    assert out.getvalue().splitlines() == told.lines
    return told, out.getvalue()


@pytest.fixture(scope="module")
def transcript(played: tuple[Transcript, str]) -> str:
    """The demo's output."""
    return played[1]


def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn text in a message's or a view's blocks (where Slack renders date tokens)."""
    if isinstance(node, list):
        return [text for child in node for text in mrkdwn_texts(child)]
    if not isinstance(node, dict):
        return []
    found = [str(node["text"])] if node.get("type") == "mrkdwn" and "text" in node else []
    for key in ("text", "fields", "elements", "blocks", "accessory"):
        if isinstance(node.get(key), dict | list):
            found += mrkdwn_texts(node[key])
    return found


# A partner's wall time says whose clock it is on, by naming the zone: "05:00 (America/New_York)"
# (a date token would show the reader's own time, not theirs). So does a rhythm's description.
NAMED_ZONE = re.compile(r"\d{1,2}:\d{2} \((?:[A-Za-z_]+/)+[A-Za-z_]+\)")


def shown_texts(story: Story) -> list[str]:
    """The text of everything people saw: messages (their notification text too), ephemeral
    answers, modals and Home tabs."""
    texts = []
    for act in story.acts:
        for card in act.cards:
            if card.kind not in (MESSAGE, EPHEMERAL, MODAL):
                continue  # the narrator's lines (what someone did), not Tandem's
            texts.append(card.text)
            texts += mrkdwn_texts(card.blocks or [])
            texts += mrkdwn_texts((card.view or {}).get("blocks", []))
    for home in story.homes.values():
        texts += mrkdwn_texts(home.get("blocks", []))
    return texts


def test_every_clock_time_in_mrkdwn_is_a_slack_date_token(played: tuple[Transcript, str]) -> None:
    texts = shown_texts(played[0].story)
    assert len(texts) > 300  # the whole story: messages, answers, modals, Homes
    assert sum("<!date^" in text for text in texts) > 40
    bare = [
        (clock, text[:160])
        for text in texts
        for clock in bare_clock_times(NAMED_ZONE.sub("", text))
    ]
    assert bare == [], "\n".join(map(str, bare))


def between(text: str, start: str, end: str) -> str:
    """The part of the transcript from `start` up to `end`."""
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


def test_the_pair_is_made_and_agrees_its_charter(transcript: str) -> None:
    assert "Maya (mentor) types  /tandem pair @Maya @Noah" in transcript
    assert "you're now a mentoring pair" in transcript
    assert "✉ group DM (Maya + Noah + Tandem):" in transcript
    assert "You acknowledged version 1 of your charter" in transcript
    assert "@Noah acknowledged version 1 of your charter" in transcript


def test_reminders_reach_each_person_in_their_own_timezone(transcript: str) -> None:
    first = between(transcript, "a day before the meeting", "ACT 3")
    # Monday 16:00 in Berlin is 11:00 in New York (the US changed its clocks on 8 March).
    # One reminder by default (issue 17): Maya's the day before; Noah chose both.
    # (Times are Slack's date tokens: the transcript shows their fallbacks, naming the zone.)
    # (Maya's shows twice: redrawn in place when she asks for another question.)
    assert first.count("*When:* Mon 9 Mar, 16:00 Europe/Berlin (your time)") == 2
    assert first.count("*When:* Mon 9 Mar, 11:00 America/New_York (your time)") == 2
    assert "that's 11:00 (America/New_York) for Noah" in first
    assert "how to say no to a VP politely" in first and "the promo packet" in first


def test_noah_is_told_that_europes_clock_change_moves_his_meeting(transcript: str) -> None:
    # After Europe's change on 29 March, the same 16:00 in Berlin is 10:00 in New York, not
    # 11:00: both of Noah's reminders for 30 March say so first; Maya's (in Berlin) do not.
    moved = (
        "DM to Noah: :clock3: Berlin changed its clocks on 29 March, so on your clock this "
        "meeting is now at 10:00 America/New_York"
    )
    assert transcript.count(moved) == 2
    assert transcript.count("changed its clocks") == 2


def test_the_meeting_is_logged_with_notes(transcript: str) -> None:
    assert "Did you meet?" in transcript
    assert "*Met* (Mon 9 Mar, 16:00 Europe/Berlin), marked by Maya" in transcript
    assert "▢ a modal opens for Maya:\n        │ ┌ Meeting notes ┐" in transcript
    assert "*Skipped* (Mon 23 Mar, 16:00 Europe/Berlin), marked by Noah" in transcript
    # The clicked "did you meet?" is updated once: answering it does not edit it a second time.
    assert transcript.count(":white_check_mark: *Met* (Mon 16 Mar, 16:00 Europe/Berlin)") == 1


def test_a_milestone_is_celebrated_in_the_channel_with_consent(transcript: str) -> None:
    assert "Share this in #celebrations?" in transcript
    shared = between(transcript, "✉ #celebrations:", "Noah (mentee) types  /tandem feedback")
    assert "*Milestone reached!* @Noah just completed *Write the launch plan*" in shared
    assert "It's the step to tech lead" not in shared  # the goal's why stays private


def test_feedback_and_sharing_go_both_ways(transcript: str) -> None:
    assert "More concrete examples from your own launches" in transcript
    assert "Maya thanked you for your feedback" in transcript
    assert "Shared with Noah as an article" in transcript
    # Noah's fourth DM that day waits for the next morning's digest.
    assert "goes into the next morning's digest instead (over the daily limit of 3)" in transcript
    # The digest shows the share itself (issue 17), not only "Maya shared an article".
    assert "✉ DM to Noah: *Maya* shared an article with you:" in transcript


def test_the_review_is_shown_side_by_side_with_a_health_score(transcript: str) -> None:
    results = between(transcript, "✉ DM to Maya:\n        │ == Your review", "⟫ they agree")
    assert "Loving the design sessions." in results
    assert "I'm ready to run the launch on my own." in results
    assert "*Relationship health:*" in results


def test_graduation_ends_with_a_thank_you(transcript: str) -> None:
    ending = transcript[transcript.index("Maya (mentor) types  /tandem end") :]
    assert "marked your mentorship as *graduated*" in ending
    assert "Thank you for your curiosity, Noah!" in ending


def test_the_command_runs_without_settings_and_leaves_no_database(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    env["PYTHONPATH"] = str(ROOT)
    # A .env with a broken setting must not matter: the demo reads none of it.
    (tmp_path / ".env").write_text("DATABASE_URL=mysql://nope\nSLACK_BOT_TOKEN=wrong\n")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Thank you for your curiosity, Noah!" in done.stdout
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env"]


def test_the_mentors_reminder_asks_an_open_question_and_offers_another(transcript: str) -> None:
    first = between(transcript, "a day before the meeting", "an hour before the meeting")
    mine = between(first, "✉ DM to Maya:", "✉ DM to Noah:")
    theirs = between(first, "✉ DM to Noah:", "clicks [Another question]")
    assert "Noah:*\n        │ >" in mine and "[Another question]" in mine
    assert "[Another question]" not in theirs  # the mentee's reminder carries none
    replaced = first[first.index("clicks [Another question]") :]
    assert "✎ message updated in DM to Maya:" in replaced
    shown = [line for line in first.splitlines() if "│ >" in line and "Another question" in line]
    assert len(shown) == 2 and shown[0] != shown[1]  # another question, in place


def test_a_quarter_in_the_mentor_shares_a_story_from_her_own_path(transcript: str) -> None:
    quarter = between(transcript, "A QUARTER IN", "ACT 5")
    # The invitation rides in Maya's meeting reminder: no message of its own; Noah's has none.
    reminder = between(quarter, "✉ DM to Maya:", "✉ DM to Noah:")
    assert "== Mentoring with Noah" in reminder
    assert "*A story from your own path for Noah?*" in reminder
    assert "[Share a story]" in reminder
    assert quarter.count("A story from your own path") == 1
    assert "“A story from my own path”" in quarter  # the form opens on the story kind
    assert "✉ DM to Noah:\n        │ *Maya* shared a story from their own path with you" in quarter
    assert "I write down what we won't do before we start." in quarter


def test_the_charter_names_each_sides_constraints(transcript: str) -> None:
    agreed = between(transcript, "ACT 1", "ACT 2")
    assert "*Mentor's constraints:* Travelling in March; no Friday meetings." in agreed
    assert "*Mentee's constraints:* Launch crunch in June: short sessions then." in agreed


def test_a_win_outside_any_goal_is_celebrated_with_consent(transcript: str) -> None:
    win = between(transcript, "Friday: a win outside any goal", "ACT 5")
    assert "Noah (mentee) types  /tandem celebrate Handled a hard conversation" in win
    assert "@Noah has a win to celebrate!" in win
    assert "Share this in #celebrations?" in win
    shared = win[win.index("✉ #celebrations:") :]
    assert "*A win to celebrate!* @Noah: Handled a hard conversation with my VP" in shared
