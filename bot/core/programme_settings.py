"""The programme settings a pair lives under: its cohort's own, else its workspace's.

A cohort may set its default cadence, review interval and celebrations channel; what it leaves
unset is the workspace's (and the celebrations channel, unset there too, the environment's
TANDEM_CELEBRATIONS_CHANNEL). Every reader of these settings asks `effective_settings`, so the
charter form, the proposal DM, review scheduling and celebrations never disagree.

It lives in core, below every area, because the areas that read it (pairs, charter,
reflection, goals) sit below the programme and admin areas that edit it.
"""

import re
from dataclasses import dataclass

from sqlmodel import Session

from bot.core.config import Settings
from storage.models import Cohort, Pair, Workspace

# One wording for the cadences wherever people choose or read one: the charter form, the
# proposal DM, the workspace settings and the cohort modal.
CADENCES = {"weekly": "Weekly", "biweekly": "Every 2 weeks", "monthly": "Monthly"}
DEFAULT_CADENCE = "biweekly"
DEFAULT_REVIEW_MONTHS = 3
# A public or private channel's id, as a conversations select sends it.
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,31}")


@dataclass(frozen=True)
class EffectiveSettings:
    """What applies to a pair or a cohort, and where each value came from."""

    default_cadence: str
    review_interval_months: int
    celebrations_channel: str | None
    # Which of the three the cohort set itself (the rest are the workspace's).
    from_cohort: frozenset[str] = frozenset()


def effective_settings(
    session: Session,
    of: Pair | Cohort | None,
    team_id: str | None = None,
    env: Settings | None = None,
) -> EffectiveSettings:
    """The settings for `of` (a pair, through its cohort; a cohort; None: the workspace
    `team_id`'s own). `env`: the process settings, whose celebrations channel is the last
    fallback. Reads by primary key only, so a producer holding its batch's workspaces and
    cohorts (storage.queries.pairs.held_batches) asks without SQL."""
    if isinstance(of, Pair):
        team = of.team_id
        cohort = session.get(Cohort, of.cohort_id) if of.cohort_id else None
    elif isinstance(of, Cohort):
        team, cohort = of.team_id, of
    else:
        team, cohort = team_id or "", None
    workspace = session.get(Workspace, team) if team else None
    own: set[str] = set()

    def pick(name: str, fallback: object) -> object:
        value = getattr(cohort, name, None) if cohort is not None else None
        if value is not None:
            own.add(name)
            return value
        workspace_value = getattr(workspace, name, None) if workspace is not None else None
        return workspace_value if workspace_value is not None else fallback

    cadence = str(pick("default_cadence", DEFAULT_CADENCE))
    months = int(pick("review_interval_months", DEFAULT_REVIEW_MONTHS))  # type: ignore[call-overload]
    channel = pick("celebrations_channel", None) or (env.celebrations_channel if env else None)
    return EffectiveSettings(
        default_cadence=cadence if cadence in CADENCES else DEFAULT_CADENCE,
        review_interval_months=months,
        celebrations_channel=str(channel) if channel else None,
        from_cohort=frozenset(own),
    )
