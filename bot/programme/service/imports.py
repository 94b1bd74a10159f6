"""Importing pairs from a list (a CSV file or pasted lines) through the consent flow.

Every line is read and every person looked up in Slack before anything is written; then each
valid line is proposed exactly as `/tandem pair` proposes (both people are asked to accept).
A line whose two people already have an open pair is refused as such, so importing the same
list again proposes nothing and sends nothing.

A preview runs the very same import inside a savepoint it then rolls back, so what it says
is what Send would do (a line repeated further down is refused in both), and it writes no
pair, message or cohort (the people it looked up are remembered; a dry run keeps not even
those). From Slack, the previewed lines are kept (PairImport) until the admin sends them,
once: the first click claims the import, any later click or rerun finds nothing to do.
"""

import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.people import ensure_person
from bot.core.results import Refused
from bot.pairs.service import propose_people
from bot.programme.access import require_programme_admin
from bot.programme.roster_rules import (
    LineProblem,
    PersonRef,
    RefKind,
    Roster,
    RosterLine,
    Unusable,
    decode,
    parse_roster,
)
from bot.programme.service.lookups import resolve_people
from storage.models import Cohort, PairImport, Person
from storage.queries.programme import claim_import, cohort_named

DEFAULT_COHORT_LENGTH = relativedelta(months=6)
MAX_FILE_BYTES = 1_000_000  # 5,000 lines of three emails fit with room to spare
SLACK_FILES_HOST = "files.slack.com"
FILE_TIMEOUT = 10  # seconds


@dataclass(frozen=True)
class ImportedLine:
    """A line that became a proposal."""

    number: int
    mentor_user_id: str
    mentee_user_id: str
    cohort: str | None


@dataclass(frozen=True)
class NewCohort:
    """A cohort the import creates (or, in a preview, would create)."""

    name: str
    starts_on: date
    ends_on: date


@dataclass
class ImportReport:
    """What an import did (or, `preview`, would do), line by line, for the admin."""

    proposed: list[ImportedLine] = field(default_factory=list)
    refused: list[LineProblem] = field(default_factory=list)
    cohorts_created: list[NewCohort] = field(default_factory=list)
    preview: bool = False

    @property
    def exit_code(self) -> int:
        """0 when every line was taken, 1 when some were refused."""
        return 1 if self.refused else 0

    def summary(self) -> str:
        """One sentence: how many were (or would be) proposed, and refused."""
        proposed, refused = len(self.proposed), len(self.refused)
        verb = "valid, ready to propose" if self.preview else "proposed"
        said = f"{proposed} pair{'s' if proposed != 1 else ''} {verb}"
        if refused:
            said += f", {refused} line{'s' if refused != 1 else ''} refused"
        return said + "."

    def by_cohort(self) -> list[tuple[str | None, int]]:
        """How many valid lines go to each cohort (None: no cohort), largest first, then by
        name, lines without a cohort last."""
        counted = Counter(line.cohort for line in self.proposed).items()
        return sorted(counted, key=lambda item: (-item[1], item[0] is None, item[0] or ""))


def _cohort_for(
    session: Session,
    team_id: str,
    name: str | None,
    default: Cohort | None,
    report: ImportReport,
    today: date,
) -> Cohort | None:
    if name is None:
        return default
    cohort = cohort_named(session, team_id, name)
    if cohort is None:
        cohort = new_cohort(team_id, name, today, today + DEFAULT_COHORT_LENGTH)
        session.add(cohort)
        session.flush()
        report.cohorts_created.append(NewCohort(name, cohort.starts_on, cohort.ends_on))
    return cohort


def new_cohort(team_id: str, name: str, starts_on: date, ends_on: date) -> Cohort:
    """A cohort whose closing comes the morning after it ends (09:00 UTC)."""
    closing = datetime.combine(ends_on + timedelta(days=1), time(9, 0), tzinfo=UTC)
    return Cohort(
        team_id=team_id, name=name, starts_on=starts_on, ends_on=ends_on, closing_due_at=closing
    )


def import_roster(
    session: Session,
    client: WebClient,
    team_id: str,
    admin: Person,
    roster: Roster,
    now: datetime,
    default_cohort: Cohort | None = None,
    people: dict[PersonRef, str] | None = None,
) -> ImportReport:
    """Propose every valid line of `roster` on behalf of `admin` (a programme admin);
    `people` are the user ids its lines name when already looked up."""
    report = ImportReport(refused=list(roster.problems))
    if people is None:
        people = resolve_people(session, client, team_id, roster.lines, now)
    for line in roster.lines:
        mentor, mentee = people[line.mentor], people[line.mentee]
        problem = next((ref for ref in (mentor, mentee) if ref.startswith("!")), None)
        if problem is not None:
            report.refused.append(LineProblem(line.number, problem[1:]))
            continue
        if mentor == mentee:
            report.refused.append(
                LineProblem(line.number, f"<@{mentor}> is named as both mentor and mentee")
            )
            continue
        cohort = _cohort_for(session, team_id, line.cohort, default_cohort, report, now.date())
        # A refusal writes no pair (see propose_people), so the other lines go on regardless.
        result = propose_people(
            session, client, team_id, admin, mentor, mentee, now, cohort.id if cohort else None
        )
        if isinstance(result, Refused):
            report.refused.append(LineProblem(line.number, _line_reason(result.message)))
        else:
            report.proposed.append(
                ImportedLine(line.number, mentor, mentee, cohort.name if cohort else None)
            )
    report.refused.sort(key=lambda problem: problem.number)
    return report


def preview_roster(
    session: Session,
    client: WebClient,
    team_id: str,
    admin: Person,
    roster: Roster,
    now: datetime,
    default_cohort: Cohort | None = None,
) -> ImportReport:
    """What importing `roster` would do, line by line, leaving the database as it was but
    for the people it looked up in Slack, who are remembered so that Send asks Slack nothing
    again (hundreds of lookups on launch day)."""
    people = resolve_people(session, client, team_id, roster.lines, now)
    for user_id in sorted({found for found in people.values() if not found.startswith("!")}):
        ensure_person(session, client, team_id, user_id, now)  # a refusal is the line's, below
    savepoint = session.begin_nested()
    try:
        report = import_roster(session, client, team_id, admin, roster, now, default_cohort, people)
    finally:
        savepoint.rollback()
    report.preview = True
    return report


def keep_preview(
    session: Session, admin: Person, report: ImportReport, default_cohort: Cohort | None
) -> PairImport:
    """Keep a preview's valid and refused lines until the admin sends (or cancels) them."""
    kept = PairImport(
        team_id=admin.team_id,
        admin_user_id=admin.user_id,
        default_cohort_id=default_cohort.id if default_cohort else None,
        lines=[[x.number, x.mentor_user_id, x.mentee_user_id, x.cohort] for x in report.proposed],
        refused=[[problem.number, problem.reason] for problem in report.refused],
    )
    session.add(kept)
    session.flush()
    return kept


def kept_preview(session: Session, team_id: str, import_id: int | None) -> PairImport | Refused:
    """A kept preview of this workspace, or a kind "couldn't find it"."""
    kept = session.get(PairImport, import_id) if import_id else None
    if kept is None or kept.team_id != team_id:
        return Refused("I couldn't find that import; run `/tandem admin import` again.")
    return kept


def send_preview(
    session: Session, client: WebClient, admin: Person, import_id: int | None, now: datetime
) -> tuple[PairImport, ImportReport] | Refused:
    """Send: propose every line of a kept preview, once (a second click finds it claimed).

    Lines are proposed as they are now: one paired meanwhile is refused as such."""
    kept = kept_preview(session, admin.team_id, import_id)
    if isinstance(kept, Refused):
        return kept
    if not claim_import(session, admin.team_id, kept.id, "sent_at", now):
        return Refused(_settled(session, kept))
    roster = Roster(
        lines=[
            RosterLine(
                number,
                PersonRef(RefKind.USER_ID, mentor),
                PersonRef(RefKind.USER_ID, mentee),
                cohort,
            )
            for number, mentor, mentee, cohort in kept.lines
        ],
        problems=[LineProblem(number, reason) for number, reason in kept.refused],
    )
    default = session.get(Cohort, kept.default_cohort_id) if kept.default_cohort_id else None
    return kept, import_roster(session, client, admin.team_id, admin, roster, now, default)


def cancel_preview(
    session: Session, admin: Person, import_id: int | None, now: datetime
) -> PairImport | Refused:
    """Cancel: the kept preview can no longer be sent."""
    kept = kept_preview(session, admin.team_id, import_id)
    if isinstance(kept, Refused):
        return kept
    if not claim_import(session, admin.team_id, kept.id, "cancelled_at", now):
        return Refused(_settled(session, kept))
    return kept


def _settled(session: Session, kept: PairImport) -> str:
    session.refresh(kept)
    if kept.sent_at is not None:
        return "These proposals were sent already; nothing was sent twice."
    return "This import was cancelled; nothing was sent. Run `/tandem admin import` again."


def fetch_shared_file(client: WebClient, file_id: str) -> bytes | Unusable:
    """The content of a file someone shared in the import modal, fetched with the bot token
    from the `url_private` Slack gives for `file_id` (files.info), never from a URL in the
    request; refused when larger than MAX_FILE_BYTES or Slack won't hand it over."""
    try:
        info = client.files_info(file=file_id)["file"]
    except SlackApiError as error:
        return Unusable(f"Slack didn't give me that file ({error.response.get('error')}).")
    size, url = int(info.get("size") or 0), str(info.get("url_private") or "")
    if size > MAX_FILE_BYTES:
        return Unusable(
            f"That file is {size / 1e6:.1f} MB; an import takes at most "
            f"{MAX_FILE_BYTES / 1e6:.0f} MB. Split it by cohort."
        )
    # Only Slack's own file host (or the API host the client talks to, an emulator's).
    host = urlsplit(url).netloc
    if not url or host not in (SLACK_FILES_HOST, urlsplit(client.base_url).netloc):
        return Unusable("Slack didn't give me a link to that file. Please try again.")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urllib.request.urlopen(request, timeout=FILE_TIMEOUT) as response:
            if "text/html" in response.headers.get("Content-Type", ""):
                return Unusable("Slack wouldn't hand me the file; Tandem needs `files:read`.")
            raw = response.read(MAX_FILE_BYTES + 1)
    except (urllib.error.URLError, TimeoutError) as error:
        return Unusable(f"I couldn't download that file from Slack ({error}). Please try again.")
    if len(raw) > MAX_FILE_BYTES:
        return Unusable(f"That file is over {MAX_FILE_BYTES / 1e6:.0f} MB. Split it by cohort.")
    return raw


def _line_reason(message: str) -> str:
    """A proposal's refusal as a line reason (lower-case start, no trailing full stop)."""
    text = message.split(" `/tandem status`")[0].rstrip(". ")
    keep = text.startswith(("<@", "I ", "I'"))
    return text if keep else text[:1].lower() + text[1:]


def import_file(
    ctx: Tandem,
    raw: bytes,
    team_id: str | None,
    admin_user_id: str | None,
    dry_run: bool = False,
) -> ImportReport | Unusable:
    """`tandem import pairs FILE.csv`: read, check and propose (the invitations are queued);
    `dry_run` only previews, changing nothing.

    Unusable when the file, the workspace or the admin can't be used (nothing is written).
    """
    text = decode(raw)
    if isinstance(text, Unusable):
        return text
    roster = parse_roster(text)
    if isinstance(roster, Unusable):
        return roster
    if team_id is None:
        if ctx.settings.oauth:
            return Unusable("Several workspaces use this Tandem: name one with --team T0123ABCD.")
        team_id = ctx.client("").auth_test()["team_id"]
    client = ctx.delivery_client(team_id)
    admin_user_id = admin_user_id or next(iter(sorted(ctx.settings.admins)), None)
    if admin_user_id is None:
        return Unusable(
            "Say which programme admin is proposing these pairs (their name is in the "
            "invitations): --admin U0123ABCD, or set TANDEM_ADMINS."
        )
    now = ctx.clock.now()
    with ctx.session() as session:
        admin = require_programme_admin(session, client, ctx.settings, team_id, admin_user_id, now)
        if isinstance(admin, Refused):
            session.rollback()
            return Unusable(f"<@{admin_user_id}> can't propose pairs here: {admin.message}")
        if not dry_run:
            return import_roster(session, client, team_id, admin, roster, now)
        report = preview_roster(session, client, team_id, admin, roster, now)
        session.rollback()  # not even the people looked up are kept
        return report
