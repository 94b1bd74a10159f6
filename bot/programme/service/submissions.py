"""The programme's modal submissions: pasted pairs, a join profile, a new mentor, a cohort.

Admin modals are submitted by the admin the listener has already let through; every id in a
modal is looked up again in their own workspace.
"""

from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.programme.blocks.imports import preview_message
from bot.programme.blocks.join import joined_message
from bot.programme.blocks.watch import done_modal
from bot.programme.roster_rules import Roster, Unusable, decode, parse_roster
from bot.programme.service.cohorts import CohortDraft, save_cohort
from bot.programme.service.imports import fetch_shared_file, keep_preview, preview_roster
from bot.programme.service.pool import ProfileDraft, save_profile
from bot.programme.service.watch import propose_new_mentor
from storage.models import Cohort, Person


def roster_from(client: WebClient, file_ids: list[str], pasted: str) -> Roster | FieldErrors:
    """The import modal's list: the CSV file picked (fetched from Slack; its header line is
    required, as the CLI's) or the pasted lines (header optional), or why it can't be used."""
    if file_ids and pasted.strip():
        return FieldErrors({"lines": "Choose a file or paste lines, not both."})
    if not file_ids:
        if not pasted.strip():
            return FieldErrors({"lines": "Paste pairs here, or choose a CSV file above."})
        roster = parse_roster(pasted, header_optional=True)
        return FieldErrors({"lines": roster.message}) if isinstance(roster, Unusable) else roster
    raw = fetch_shared_file(client, file_ids[0])
    text = raw if isinstance(raw, Unusable) else decode(raw)
    roster = text if isinstance(text, Unusable) else parse_roster(text)
    return FieldErrors({"file": roster.message}) if isinstance(roster, Unusable) else roster


def preview_import(
    session: Session,
    client: WebClient,
    admin: Person,
    roster: Roster,
    cohort_id: int | None,
    now: datetime,
) -> Result:
    """Check the pairs (into the cohort picked, if any) and keep them: the preview,
    with Send and Cancel, goes to the admin's DM. Nothing is proposed yet."""
    cohort = session.get(Cohort, cohort_id) if cohort_id else None
    if cohort is not None and cohort.team_id != admin.team_id:
        cohort = None
    report = preview_roster(session, client, admin.team_id, admin, roster, now, cohort)
    kept = keep_preview(session, admin, report, cohort)
    return Reply(**preview_message(kept.id, report))


def join(
    session: Session,
    client: WebClient,
    team_id: str,
    user_id: str,
    draft: ProfileDraft,
    now: datetime,
) -> Result:
    """The join modal: into the matching pool, or field errors."""
    saved = save_profile(session, client, team_id, user_id, draft, now)
    if isinstance(saved, FieldErrors):
        return saved
    if isinstance(saved, Refused):
        return FieldErrors({"role": saved.message})
    return Reply(modal=done_modal(joined_message(saved.role)))


def new_mentor(
    session: Session,
    client: WebClient,
    admin: Person,
    pair_id: int | None,
    mentor_user_id: str | None,
    now: datetime,
) -> Result:
    """The new-mentor modal: the new pair proposed, or why not (on the mentor field)."""
    found = propose_new_mentor(session, client, admin, admin.team_id, pair_id, mentor_user_id, now)
    if isinstance(found, Refused):
        return FieldErrors({"mentor": found.message})
    return Reply(modal=done_modal(f"✅ {found[0].message}"), queued=True)


def cohort(session: Session, team_id: str, draft: CohortDraft, now: datetime) -> Result:
    """The cohort modal: created or changed, or field errors."""
    saved = save_cohort(session, team_id, draft, now)
    if isinstance(saved, FieldErrors):
        return saved
    return Reply(modal=done_modal(f"✅ Saved the cohort “{saved.name}”."))
