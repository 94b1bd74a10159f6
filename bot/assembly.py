"""Composition: what every area contributes, put in order. The one module that knows them all.

Areas offer their producers (`jobs`), status lines, Home sections and event subscribers; they
never import each other's. `assemble()` is called once, by `build_tandem`, and its `Parts`
travels with the running Tandem to the tick and to the surfaces (bot.surfaces).
"""

from bot.admin.home_sections import admin_actions_section
from bot.charter import jobs as charter_jobs
from bot.charter.home_sections import change_requests_to_revise
from bot.charter.status_lines import change_request_status, charter_status
from bot.core.context import Parts
from bot.core.events import CharterSaved, MemberGone
from bot.delivery.home_sections import failed_deliveries_section
from bot.goals import jobs as goal_jobs
from bot.goals.home_sections import start_buttons as goal_start_buttons
from bot.goals.status_lines import goal_lines
from bot.meetings import jobs as meeting_jobs
from bot.meetings.home_sections import subscribe_button, unlogged_meetings
from bot.meetings.series import follow_charter
from bot.meetings.status_lines import next_meeting_lines
from bot.pairs import jobs as pair_jobs
from bot.pairs.home_sections import past_mentorships, proposals_to_answer
from bot.pairs.service import member_gone
from bot.programme import jobs as programme_jobs
from bot.programme.home_sections import at_risk_section, open_round_section
from bot.reflection import jobs as reflection_jobs
from bot.reflection.drift import drift_status, forget_drift
from bot.reflection.home_sections import (
    programme_section,
    replies_owed,
    reviews_to_answer,
    stage_blocks,
    start_buttons,
)
from bot.reflection.service.reciprocity import giving_status
from bot.reflection.signals import health_status
from bot.reflection.story_invites import story_in_reminder


def assemble() -> Parts:
    """Every area's part, in the order it runs (the tick) or is shown (status, Home)."""
    return Parts(
        producers=(
            *pair_jobs.TRACKING,  # pairs that became active get their due dates first
            # Meetings first: they end pauses that are over, which the others then respect.
            *meeting_jobs.PRODUCERS,  # meetings, reminders, follow-ups, lapses, pauses
            *pair_jobs.PRODUCERS,  # greet pairs whose group DM could not be opened at first
            *charter_jobs.PRODUCERS,  # charter versions waiting for the partner's acknowledgement
            *reflection_jobs.PRODUCERS,  # feedback prompts, reviews, giving back, drift
            *goal_jobs.PRODUCERS,  # anniversaries, streaks, refused announcements
            *programme_jobs.PRODUCERS,  # cohorts that ended: invite their pairs to close well
        ),
        due_dates=(
            meeting_jobs.due_dates,
            reflection_jobs.due_dates,
            reflection_jobs.drift_due_dates,
            goal_jobs.due_dates,
            charter_jobs.due_dates,
        ),
        status_lines=(
            charter_status,
            next_meeting_lines,
            drift_status,
            goal_lines,
            health_status,
            change_request_status,
            giving_status,
        ),
        waiting_on=(
            # Oldest pair first within each kind; a review is usually of a pair older than
            # a proposal still waiting, so reviews come first.
            reviews_to_answer,
            proposals_to_answer,
            change_requests_to_revise,
            unlogged_meetings,
            replies_owed,
        ),
        pair_blocks=(stage_blocks,),
        start_buttons=(start_buttons, goal_start_buttons),
        home_buttons=(subscribe_button,),
        admin_sections=(
            programme_section,
            failed_deliveries_section,
            admin_actions_section,
            open_round_section,
            at_risk_section,
        ),
        past_sections=(past_mentorships,),
        mentor_reminder_extras=(story_in_reminder,),  # the quarter's story invitation
        subscribers={
            CharterSaved: (follow_charter, forget_drift),
            MemberGone: (member_gone,),
        },
    )
