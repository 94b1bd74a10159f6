"""`/tandem agenda | reschedule | log | pause | resume`: one function per subcommand.

Each returns what the person should see: a line of text (ephemeral), or a modal to open;
what changed the pair says `queued`, so its messages go out at once.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core import slack_time
from bot.core.context import Tandem
from bot.core.kit import clip, mrkdwn_escape
from bot.core.membership import Membership, resolve_pair
from bot.core.mentions import strip_mentions
from bot.core.people import ensure_person, person_zone
from bot.core.results import Refused, Reply, Result
from bot.meetings import pause as pausing
from bot.meetings.agenda import add_agenda_item
from bot.meetings.blocks.modals import log_modal, move_modal
from bot.meetings.members import name_of
from bot.meetings.time_rules import parse_day
from storage.models import Pair, PairStatus
from storage.queries.agenda import open_agenda
from storage.queries.charter import current_charter
from storage.queries.meetings import next_meeting

PICK_PARTNER = "You're in more than one pair: add your partner, e.g. `/tandem {usage} @partner`."


def _shown(text: str) -> str:
    return mrkdwn_escape(clip(text, 300))


def _one_pair(
    ctx: Tandem,
    session: Session,
    client: WebClient,
    team_id: str,
    user_id: str,
    args: str,
    usage: str,
) -> Membership | Refused:
    person = ensure_person(session, client, team_id, user_id, ctx.clock.now())
    if isinstance(person, Refused):
        return person
    found = resolve_pair(session, team_id, user_id, args)
    if isinstance(found, list):
        return Refused(PICK_PARTNER.format(usage=usage))
    return found


def agenda(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str, args: str
) -> Result:
    """Add an item to the next meeting's agenda; with no item, show the agenda so far."""
    now = ctx.clock.now()
    found = _one_pair(ctx, session, client, team_id, user_id, args, "agenda <item>")
    if isinstance(found, Refused):
        return found
    text = strip_mentions(args)
    if not text:
        items = open_agenda(session, found.pair.id)
        if not items:
            return Reply(
                text="Nothing on the agenda yet. Add something with `/tandem agenda <item>`."
            )
        return Reply(text="*Agenda so far:*\n" + "\n".join(f"• {_shown(i.text)}" for i in items))
    added = add_agenda_item(session, found, text, now)
    if isinstance(added, Refused):
        return added
    upcoming = next_meeting(session, found.pair.id, now)
    zone = person_zone(found.me, ctx.settings)
    when = f" for {slack_time.when(upcoming.starts_at, zone)}" if upcoming else ""
    partner = name_of(found.partner)
    text = f"Added to the agenda{when}: “{_shown(added.text)}”. {partner} will see it too."
    return Reply(text=text, queued=True)


def reschedule(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str, args: str
) -> Result:
    """The modal to move the pair's next meeting (a picker first, for people in several)."""
    now = ctx.clock.now()
    # The pair first, from the database alone: someone without one is answered at once,
    # without a round trip to Slack before the 3-second acknowledgement.
    found = resolve_pair(session, team_id, user_id, args, statuses=(PairStatus.ACTIVE,))
    if isinstance(found, Refused):
        return found
    person = ensure_person(session, client, team_id, user_id, now)
    if isinstance(person, Refused):
        return person
    zone = person_zone(person, ctx.settings)
    if isinstance(found, list):
        return Reply(modal=move_modal({}, found, None, zone, now))
    return move_form(session, found, now, zone)


def move_form(session: Session, membership: Membership, now: datetime, zone: ZoneInfo) -> Reply:
    """The modal to move the pair's next meeting, or why there is none to move."""
    upcoming = next_meeting(session, membership.pair.id, now)
    if upcoming is None:
        return Reply(
            text="You have no meeting scheduled to move. Set a cadence in your charter "
            "(`/tandem charter`), or record one you had with `/tandem log`."
        )
    target = {"meeting": upcoming.id}
    return Reply(modal=move_modal(target, [membership], upcoming.starts_at, zone, now))


def log(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str, args: str
) -> Result:
    """The modal to record a meeting that happened off-schedule."""
    now = ctx.clock.now()
    found = resolve_pair(session, team_id, user_id, args)  # first: see reschedule
    if isinstance(found, Refused):
        return found
    person = ensure_person(session, client, team_id, user_id, now)
    if isinstance(person, Refused):
        return person
    choices = found if isinstance(found, list) else [found]
    return log_form(session, choices, now, person_zone(person, ctx.settings))


def log_form(session: Session, choices: list[Membership], now: datetime, zone: ZoneInfo) -> Reply:
    """The log modal for one of `choices` (a pair picker when there are several)."""
    areas: list[str] = []
    for membership in choices:
        charter = current_charter(session, membership.pair.id)
        areas += charter.focus_areas if charter else []
    return Reply(modal=log_modal(choices, now, zone, areas))


def pause(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str, args: str
) -> Result:
    """`/tandem pause until <date>`: no nudges for the pair until that date."""
    now = ctx.clock.now()
    words = strip_mentions(args).split()
    if words and words[0].lower() == "until":
        words = words[1:]
    found = _one_pair(ctx, session, client, team_id, user_id, args, "pause until <date>")
    if isinstance(found, Refused):
        return found
    zone = person_zone(found.me, ctx.settings)
    day = parse_day(" ".join(words), now.astimezone(zone).date())
    if isinstance(day, Refused):
        return Refused(f"{day.message} For example: `/tandem pause until 2026-04-01`.")
    paused = pausing.pause(session, found, day, zone, now)
    if isinstance(paused, Refused):
        return paused
    partner = name_of(found.partner)
    return Reply(
        text=f"Paused until {day:%A %-d %B %Y}. Neither you nor {partner} will get nudges until "
        "then; `/tandem resume` brings them back sooner.",
        queued=True,
    )


def resume(
    ctx: Tandem, session: Session, client: WebClient, team_id: str, user_id: str, args: str
) -> Result:
    """`/tandem resume`: nudges back on now."""
    now = ctx.clock.now()
    found = _one_pair(ctx, session, client, team_id, user_id, args, "resume")
    if isinstance(found, Refused):
        return found
    resumed = pausing.resume(session, found.pair, now)
    if isinstance(resumed, Refused):
        return resumed
    upcoming = next_meeting(session, found.pair.id, now)
    zone = person_zone(found.me, ctx.settings)
    when = f" Your next meeting: {slack_time.when(upcoming.starts_at, zone)}." if upcoming else ""
    return Reply(text=f"Welcome back! Nudges are on again.{when}", queued=True)


def pause_for_programme(
    session: Session, membership: Membership, until: date, now: datetime
) -> Pair | Refused:
    """A programme admin pauses the pair until `until` (UTC); the pair hears it was them."""
    return pausing.pause(
        session, membership, until, ZoneInfo("UTC"), now, by="Your programme admin"
    )
