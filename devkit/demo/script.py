"""The story `tandem demo` tells: one mentorship from proposal to graduation, weeks compressed."""

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.delivery.blocks import REMINDERS
from bot.goals import form_rules
from bot.meetings.blocks.modals import ACTIONS_BLOCK, DISCUSSED_BLOCK, FOCUS_BLOCK, LESSON_BLOCK
from bot.meetings.blocks.question import ANOTHER_QUESTION
from bot.reflection.blocks.stories import SHARE_AS_ACTION
from devkit.demo.stage import Stage
from devkit.demo.transcript import Person

MAYA = Person("UMAYA0001", "Maya", "Europe/Berlin", "mentor")
NOAH = Person("UNOAH0001", "Noah", "America/New_York", "mentee")
ADA = Person("UADA00001", "Ada", "Europe/London", "programme admin")
CAST = [MAYA, NOAH, ADA]
CELEBRATIONS = "CCELEBRATE"
CHANNELS = {CELEBRATIONS: "celebrations"}
# A Tuesday afternoon in Berlin, morning in New York (on a Monday, the first meeting would be
# that same afternoon, an hour after the charter is written).
START = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
# Monday 16:00 in Berlin is 11:00 in New York (10:00 once Europe's clocks change too): a time
# both can keep. (10:00 in Berlin would be 04:00 or 05:00 for Noah, and the charter allows it.)
FIRST_MEETING = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)

CHARTER: dict[str, Any] = {
    "charter.mentor_objectives": "Help Noah grow into a tech lead.",
    "charter.mentee_objectives": "Lead a project end to end; speak up in design reviews.",
    "charter.mentor_success": "Noah leads without me in the room.",
    "charter.mentee_success": "Noah runs the Q3 launch with confidence.",
    "charter.mentor_constraints": "Travelling in March; no Friday meetings.",
    "charter.mentee_constraints": "Launch crunch in June: short sessions then.",
    "charter.focus_areas": "system design\nstakeholders\ncareer",
    "charter.cadence": "weekly",
    "charter.weekday": "0",
    "charter.meeting_time": "16:00",
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


def at(person: Person) -> str:
    """A mention as Slack escapes it in slash-command text."""
    return f"<@{person.user_id}|{person.name.lower()}>"


def notes(discussed: str, lesson: str, actions: str, focus: list[str]) -> dict[str, Any]:
    """The meeting-notes form as someone fills it in."""
    return {
        DISCUSSED_BLOCK: discussed,
        LESSON_BLOCK: lesson,
        ACTIONS_BLOCK: actions,
        FOCUS_BLOCK: focus,
    }


def setting_up(stage: Stage) -> None:
    """Ada picks the celebrations channel; Maya proposes; Noah accepts; the charter is agreed."""
    t = stage.transcript
    t.chapter("ACT 1 — A pair is made, and agrees how it will work")
    stage.command(ADA, "admin")
    stage.press(ADA, "admin.open_settings", "Settings")
    stage.submit(
        ADA, {("celebrations_channel", "value"): CELEBRATIONS}, "celebrations channel #celebrations"
    )

    stage.command(MAYA, f"pair {at(MAYA)} {at(NOAH)}")
    stage.click(NOAH, stage.latest(NOAH.user_id, "pair.accept"), "pair.accept")
    home = stage.group_dm()
    stage.click(MAYA, stage.latest(home, "charter.open"), "charter.open")
    stage.submit(MAYA, CHARTER, "weekly on Mondays at 16:00 Berlin time, 45 min, video")
    stage.click(NOAH, stage.latest(NOAH.user_id, "charter.ack"), "charter.ack")


def first_week(stage: Stage) -> None:
    """A goal with milestones, agenda items, the reminders, the meeting and its notes."""
    t = stage.transcript
    t.chapter("ACT 2 — A goal, an agenda, and the first meeting")
    stage.advance(START + timedelta(hours=2), "Noah sets himself a goal")
    stage.command(NOAH, "goal")
    stage.submit(
        NOAH,
        {
            form_rules.TITLE: "Lead the Q3 launch",
            form_rules.OWNER: form_rules.OWNER_ME,
            form_rules.WHY: "It's the step to tech lead.",
            form_rules.TARGET: "2026-06-30",
            form_rules.milestone_title_id(0): "Write the launch plan",
            form_rules.milestone_due_id(0): "2026-03-20",
            form_rules.milestone_title_id(1): "Review it with stakeholders",
            form_rules.milestone_title_id(2): "Run the kick-off",
        },
        "“Lead the Q3 launch”, three milestones",
    )
    stage.advance(
        datetime(2026, 3, 5, 15, 0, tzinfo=UTC), "Thursday: both add to next Monday's agenda"
    )
    # One reminder a meeting by default (the day before); Noah wants one an hour before too.
    stage.command(NOAH, "preferences")
    stage.submit(
        NOAH, {REMINDERS: "both"}, "my meeting reminders: the day before and an hour before"
    )
    stage.command(NOAH, "agenda how to say no to a VP politely")
    stage.command(MAYA, "agenda the promo packet")
    stage.advance(FIRST_MEETING - timedelta(days=1), "a day before the meeting (Sunday)")
    # Maya's reminder carries an open question for the pair's stage and focus; she asks for
    # another one, which replaces it in place (issue 21).
    stage.click(MAYA, stage.latest(MAYA.user_id, ANOTHER_QUESTION), ANOTHER_QUESTION)
    stage.advance(FIRST_MEETING - timedelta(hours=1), "an hour before the meeting")
    stage.advance(FIRST_MEETING + timedelta(hours=4), "the meeting took place at 16:00 Berlin")
    home = stage.group_dm()
    followup = stage.latest(home, "meeting.met")
    stage.click(MAYA, followup, "meeting.met")
    stage.submit(
        MAYA,
        notes(
            "How to split the Q3 launch into milestones; saying no to a VP.",
            "Write the decision down before the meeting.",
            "Noah drafts the launch plan by Friday.",
            ["system design", "stakeholders"],
        ),
        "meeting notes",
    )


def a_win(stage: Stage) -> None:
    """Progress, a ticked milestone, the celebration and its consent; feedback; a share."""
    t = stage.transcript
    t.chapter("ACT 3 — Progress, a celebration, feedback both ways")
    stage.advance(datetime(2026, 3, 12, 15, 0, tzinfo=UTC), "Thursday: Noah has news")
    stage.command(NOAH, "update")
    stage.submit(
        NOAH,
        {form_rules.PERCENT: "35", form_rules.HAPPENED: "Launch plan drafted and sent round."},
        "35%, launch plan drafted",
    )
    home = stage.group_dm()
    stage.click(NOAH, stage.latest(home, "goal.tick:"), "goal.tick:")
    stage.click(NOAH, stage.latest(NOAH.user_id, "goal.share"), "goal.share")
    # The charter says "ask us each time": it is posted once Maya says yes too.
    stage.click(MAYA, stage.latest(MAYA.user_id, "goal.share"), "goal.share")

    stage.command(NOAH, "feedback")
    stage.submit(
        NOAH,
        {
            "reflection.kind": "support",
            "reflection.text": "More concrete examples from your own launches, please.",
            "reflection.visibility": "partner",
        },
        "to Maya: how she could support him better",
    )
    thanks = "reflection.feedback.thanks"
    stage.click(MAYA, stage.latest(MAYA.user_id, thanks), thanks)
    stage.command(MAYA, "feedback")
    stage.submit(
        MAYA,
        {
            "reflection.text": "Your launch plan was crisp; send it earlier next time.",
            "reflection.visibility": "partner",
        },
        "to Noah: what went well",
    )
    stage.command(MAYA, "share https://example.com/staff-engineer-path")


def weeks_go_by(stage: Stage) -> None:
    """Eleven more weeks, compressed: meetings happen (one is skipped), prompts come and go;
    then a win outside any goal."""
    t = stage.transcript
    t.chapter("ACT 4 — Weeks go by (compressed: one line per message)")
    t.compact = True
    home = stage.group_dm()
    for week in range(1, 12):
        meeting = FIRST_MEETING + timedelta(weeks=week)
        stage.advance(meeting + timedelta(hours=4), f"week {week + 1}: the Monday meeting is over")
        followup = stage.latest(home, "meeting.met")
        if week == 2:
            stage.click(NOAH, followup, "meeting.skip")
            continue
        stage.click(MAYA if week % 2 else NOAH, followup, "meeting.met")
        topic = ["stakeholders", "career", "system design"][week % 3]
        stage.submit(
            MAYA if week % 2 else NOAH,
            notes(f"Week {week + 1}: {topic}.", "", "", [topic]),
            f"notes on {topic}",
        )
    t.compact = False
    # A win outside any goal: the partner hears it in the group DM; the channel only with a yes.
    stage.advance(datetime(2026, 5, 29, 15, 0, tzinfo=UTC), "Friday: a win outside any goal")
    stage.command(NOAH, "celebrate Handled a hard conversation with my VP: the launch date moved")
    stage.click(NOAH, stage.latest(NOAH.user_id, "goal.share"), "goal.share")
    stage.click(MAYA, stage.latest(MAYA.user_id, "goal.share"), "goal.share")  # both say yes


def a_story(stage: Stage) -> None:
    """A quarter after the pairing, Maya's next meeting reminder invites her to share a story
    from her own path (it rides along: no message of its own); she shares one."""
    t = stage.transcript
    t.compact = True  # the first week of June, one line per message
    stage.advance(datetime(2026, 6, 7, 13, 0, tzinfo=UTC))
    t.compact = False
    t.chapter("A QUARTER IN — A story from Maya's own path")
    stage.advance(
        datetime(2026, 6, 7, 14, 0, tzinfo=UTC),
        "a quarter since they paired: the day before Monday's meeting (Sunday)",
    )
    stage.click(MAYA, stage.latest(MAYA.user_id, SHARE_AS_ACTION), SHARE_AS_ACTION)
    stage.submit(
        MAYA,
        {
            "reflection.text": "My first launch slipped a month because I said yes to every "
            "request. Since then I write down what we won't do before we start."
        },
        "a story from her own path",
    )
    t.compact = True  # Monday's meeting, one line per message
    stage.advance(datetime(2026, 6, 8, 18, 0, tzinfo=UTC))
    t.compact = False


def review_and_goodbye(stage: Stage) -> None:
    """The three-month review, both answers side by side, then graduation with a thank-you."""
    t = stage.transcript
    t.chapter("ACT 5 — The three-month review, and ending well")
    # Reviews (like anniversaries) count from the first meeting held, not the pairing.
    stage.advance(
        FIRST_MEETING + timedelta(days=92, hours=1), "three months since their first meeting"
    )
    stage.click(
        MAYA, stage.latest(MAYA.user_id, "reflection.review.open"), "reflection.review.open"
    )
    stage.submit(
        MAYA,
        {
            "reflection.value": "4",
            "reflection.time": "right",
            "reflection.goals": "partly",
            "reflection.decision": "continue",
            "reflection.note": "Loving the design sessions.",
        },
        "value 4/5, time right, goals partly, continue",
    )
    stage.click(
        NOAH, stage.latest(NOAH.user_id, "reflection.review.open"), "reflection.review.open"
    )
    stage.submit(
        NOAH,
        {
            "reflection.value": "5",
            "reflection.time": "right",
            "reflection.goals": "yes",
            "reflection.decision": "conclude",
            "reflection.note": "I'm ready to run the launch on my own.",
        },
        "value 5/5, time right, goals yes, conclude",
    )
    stage.advance(stage.now + timedelta(days=3), "they agree Noah is ready")
    stage.command(MAYA, "end")
    stage.submit(
        MAYA,
        {
            "reflection.how": "graduate",
            "reflection.reflection": "Watching Noah run the launch was the highlight.",
            "reflection.thank_you": "Thank you for your curiosity, Noah!",
        },
        "graduate, with a thank-you",
    )
    stage.command(ADA, "admin")
    for person in CAST:
        stage.open_home(person)


def tell(stage: Stage) -> None:
    """The whole story, in order."""
    setting_up(stage)
    first_week(stage)
    a_win(stage)
    weeks_go_by(stage)
    a_story(stage)
    review_and_goodbye(stage)
