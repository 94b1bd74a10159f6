"""The charter as a living, co-signed document: each save is a version the partner acknowledges.

`on_charter_saved` is the one place where whatever follows a save happens.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.charter import blocks as charter_blocks
from bot.charter.access import member_of, member_version
from bot.charter.cosign_rules import schedule_changed, start_problem
from bot.charter.fields import (
    CharterDraft,
    change_summary,
    changed_parts,
    draft_from_values,
    draft_of,
)
from bot.charter.form import charter_modal
from bot.charter.form_rules import read_form
from bot.charter.versions import charter_history, version_by_id, version_by_number
from bot.charter.zones import zone_choices
from bot.core.context import Tandem
from bot.core.events import CharterSaved, publish
from bot.core.kit import notice_modal
from bot.core.membership import LIVE, Membership, refused_in_place, resolve_pair
from bot.core.modal_state import ModalState
from bot.core.people import person_zone
from bot.core.programme_settings import effective_settings
from bot.core.results import FieldErrors, Refused, Reply, Result, in_place
from bot.delivery.service import cancel_pending, dm_member
from storage.models import CharterAck, CharterVersion, Pair, Person
from storage.queries.charter import current_charter
from storage.queries.meetings import series_of
from storage.queries.pairs import (
    charter_version,
    find_ack,
    pair_for_update,
    resolve_change_requests,
)

# A version the partner has not acknowledged after this long is reminded once.
ACK_REMIND_AFTER = timedelta(days=5)
NOT_LIVE = "This pair isn't active any more, so its charter can no longer change."
SEVERAL_PAIRS = (
    "You're in several pairs; say which one: `/tandem charter history @partner {number}`."
)
SAVED_AT_ONCE = (
    "Your partner saved the charter at the same moment. Close this form and open it again "
    "(`/tandem charter`) to start from their version."
)


@dataclass(frozen=True)
class Saved:
    """The outcome of saving the form: the version that is now current."""

    membership: Membership
    version: CharterVersion
    unchanged: bool = False


def open_charter(ctx: Tandem, session: Session, team_id: str, user_id: str, args: str) -> Result:
    """`/tandem charter [@partner]`: the form for the pair meant (a picker first, for several)."""
    target = resolve_pair(session, team_id, user_id, args)
    if isinstance(target, Refused):
        return target
    if isinstance(target, list):
        return Reply(modal=charter_blocks.picker_modal(target, "edit"))
    return Reply(modal=edit_view(ctx, session, target))


def open_history(
    ctx: Tandem, session: Session, team_id: str, user_id: str, args: str, number: int | None
) -> Result:
    """`/tandem charter [@partner] history [n]`: the versions, or version `number`."""
    target = resolve_pair(session, team_id, user_id, args)
    if isinstance(target, Refused):
        return target
    if isinstance(target, list):
        if number is not None:
            return Refused(SEVERAL_PAIRS.format(number=number))
        return Reply(modal=charter_blocks.picker_modal(target, "history"))
    zone = person_zone(target.me, ctx.settings)
    if number is None:
        return Reply(modal=charter_blocks.history_modal(charter_history(session, target), zone))
    record = version_by_number(session, target, number)
    if isinstance(record, Refused):
        return record
    return Reply(modal=charter_blocks.version_modal(target, record, zone))


def submit_charter(
    ctx: Tandem, session: Session, team_id: str, user_id: str, pair_id: int | None, form: ModalState
) -> Result:
    """The charter modal: each part checked, then saved as the next version (see save_charter);
    the modal then says what the partner will be asked."""
    draft = read_form(form)
    if isinstance(draft, FieldErrors):
        return draft
    now = ctx.clock.now()
    result = save_charter(ctx, session, team_id, user_id, pair_id, draft, now)
    if isinstance(result, FieldErrors | Refused):
        return result
    me, partner = result.membership.me, result.membership.partner
    saved = charter_blocks.saved_modal(result.version, me, partner, result.unchanged, now)
    return Reply(modal=saved, queued=True)


def open_picked(
    ctx: Tandem, session: Session, team_id: str, user_id: str, pair_id: int | None, then: object
) -> Result:
    """After the pair picker: that pair's charter form, or its history when `then` says so."""
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    if then == "history":
        zone = person_zone(membership.me, ctx.settings)
        return Reply(modal=charter_blocks.history_modal(charter_history(session, membership), zone))
    if membership.pair.status not in LIVE:
        return Refused(NOT_LIVE)
    return Reply(modal=edit_view(ctx, session, membership))


def open_charter_of(
    ctx: Tandem, session: Session, team_id: str, user_id: str, pair_id: int | None
) -> Result:
    """The "Write our charter" button: the form for that pair, while it is live."""
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    if membership.pair.status not in LIVE:
        return Refused(NOT_LIVE)
    return Reply(modal=edit_view(ctx, session, membership))


def version_view(
    ctx: Tandem, session: Session, team_id: str, user_id: str, version_id: int | None
) -> dict[str, Any] | Refused:
    """The modal showing a whole charter version, for a member of its pair."""
    found = version_by_id(session, team_id, user_id, version_id)
    if isinstance(found, Refused):
        return found
    membership, record = found
    zone = person_zone(membership.me, ctx.settings)
    return charter_blocks.version_modal(membership, record, zone)


def edit_view(
    ctx: Tandem, session: Session, membership: Membership, cadence: str | None = None
) -> dict[str, Any]:
    """The charter form for `membership`'s pair: the current version, or a new charter;
    with `cadence` (one of the charter's), that cadence proposed in place of the current one.

    A new charter meets in the timezone of whoever proposed the pair (when they are in it;
    else the person writing it) and at the programme's default cadence.
    """
    pair, me, partner = membership.pair, membership.me, membership.partner
    zone = person_zone(me, ctx.settings)
    current = current_charter(session, pair.id)
    if current is not None:
        draft = draft_of(current)
        author = session.get(Person, current.author_id)
        intro = charter_blocks.editing_intro(current, author, partner, zone)
    elif pair.charter_draft:
        # A new chapter: the last chapter's charter, to revise (not a version until saved).
        draft = draft_from_values({**pair.charter_draft, "starts_on": None})
        intro = charter_blocks.chapter_intro(partner)
    else:
        proposer = partner if pair.proposed_by_id == partner.id else me
        draft = CharterDraft(
            cadence=effective_settings(session, pair).default_cadence,
            timezone=person_zone(proposer, ctx.settings).key,
        )
        intro = charter_blocks.new_intro(partner)
    if cadence is not None:
        draft = replace(draft, cadence=cadence)
        intro = f"{intro} {charter_blocks.cadence_proposed_intro(cadence)}"
    zones = zone_choices(draft.timezone, me.tz, partner.tz, ctx.settings.default_timezone)
    return charter_modal(membership, draft, zones, intro)


def save_charter(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int | None,
    draft: CharterDraft,
    now: datetime,
) -> Saved | Refused | FieldErrors:
    """Save `draft` as the pair's next version, authored (and so acknowledged) by `user_id`.

    A form with nothing changed makes no version: there is nothing for the partner to sign.
    """
    membership = member_of(session, team_id, user_id, pair_id)
    if isinstance(membership, Refused):
        return membership
    pair = pair_for_update(session, membership.pair.id, team_id)  # one version number at a time
    if pair is None or pair.status not in LIVE:
        return Refused(NOT_LIVE)
    current = current_charter(session, pair.id)
    before = draft_of(current) if current is not None else None
    if current is not None and before == draft:
        return Saved(membership, current, unchanged=True)
    if draft.starts_on is not None and (before is None or before.starts_on != draft.starts_on):
        today = now.astimezone(ZoneInfo(draft.timezone)).date()
        if problem := start_problem(draft.starts_on, today):
            return FieldErrors({"starts_on": problem})
    version = CharterVersion(
        team_id=team_id,
        pair_id=pair.id,
        version=current.version + 1 if current is not None else 1,
        author_id=membership.me.id,
        created_at=now,
        change_summary=change_summary(before, draft),
        **draft.values(),
    )
    try:
        with session.begin_nested():
            session.add(version)
    except IntegrityError:
        return FieldErrors({"mentor_objectives": SAVED_AT_ONCE})
    session.add(
        CharterAck(
            team_id=team_id, charter_version_id=version.id, person_id=membership.me.id, acked_at=now
        )
    )
    on_charter_saved(ctx, session, pair, version, now)
    session.flush()
    return Saved(membership, version)


def schedule_in_force(session: Session, pair: Pair) -> CharterVersion | None:
    """The charter version whose schedule the pair's series follows (the one both agreed,
    or the first), or None when there is no live series yet."""
    series = series_of(session, pair.id or 0)
    if series is None or not series.active or series.charter_version_id is None:
        return None
    return session.get(CharterVersion, series.charter_version_id)


def on_charter_saved(
    ctx: Tandem, session: Session, pair: Pair, version: CharterVersion, now: datetime
) -> None:
    """Everything that follows saving a charter version, in the same transaction as the save.

    Ask the partner (the member who did not write it) to acknowledge it (a request for an
    earlier version that has not gone out yet is dropped, since only the latest can be signed),
    and remind them once if they have not within `ACK_REMIND_AFTER` (bot/charter/jobs.py);
    answer any changes they asked for, and tell whoever follows the charter (meetings move the
    series to its schedule), unless the version changes the schedule both agreed: that waits
    for the partner's acknowledgement (bot/charter/cosign_rules.py), and the agreed schedule
    stands until then.
    """
    author = session.get(Person, version.author_id)
    partner_id = pair.mentee_id if version.author_id == pair.mentor_id else pair.mentor_id
    partner = session.get(Person, partner_id)
    previous = charter_version(session, pair.id, version.version - 1)
    after = draft_of(version)
    changes = []
    if previous is not None:
        changes = [
            (name, getattr(after, name)) for name in changed_parts(draft_of(previous), after)
        ]
    agreed = schedule_in_force(session, pair)
    waiting = agreed if agreed is not None and schedule_changed(agreed, version) else None
    text, blocks = charter_blocks.ack_request(
        version, author, changes, person_zone(partner, ctx.settings), waiting
    )
    cancel_pending(session, pair.id, ("charter.ack_request",))
    dm_member(
        session,
        partner.user_id,
        key=f"charter.ack_request:{pair.id}:{version.version}",
        kind="charter.ack_request",
        text=text,
        blocks=blocks,
        deliver_after=now,
        pair=pair,
    )
    pair.next_ack_reminder_at = now + ACK_REMIND_AFTER  # bot/charter/jobs.py
    session.add(pair)
    resolve_change_requests(session, pair.id or 0, now)
    if waiting is None:
        publish(ctx, session, CharterSaved(pair, version, now))


def open_version(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    version_id: int | None,
    stacked: bool,
) -> Result:
    """A charter version's modal: opened, or `stacked` on the history modal the click came
    from (where a refusal is said in a modal too)."""
    view = version_view(ctx, session, team_id, user_id, version_id)
    if not stacked:
        return view if isinstance(view, Refused) else Reply(modal=view)
    if isinstance(view, Refused):
        view = notice_modal(view.message)
    return Reply(push=view)


def acknowledge_click(
    ctx: Tandem, session: Session, team_id: str, user_id: str, version_id: int | None
) -> Result:
    """The Acknowledge button on a message: the message gives way to the thanks (or to why
    not, but for "not found", which stays private)."""
    acked = acknowledge(ctx, session, team_id, user_id, version_id, ctx.clock.now())
    if isinstance(acked, Refused):
        return refused_in_place(acked)
    return in_place(*charter_blocks.acked_message(acked), queued=True)


def acknowledge_in_modal(
    ctx: Tandem, session: Session, team_id: str, user_id: str, version_id: int | None
) -> Result:
    """The Acknowledge button in a version's modal: the modal it was in, redrawn as it is now
    (or saying why not)."""
    acked = acknowledge(ctx, session, team_id, user_id, version_id, ctx.clock.now())
    if isinstance(acked, Refused):
        return Reply(refresh=notice_modal(acked.message), queued=True)
    view = version_view(ctx, session, team_id, user_id, acked.id)
    shown = notice_modal(view.message) if isinstance(view, Refused) else view
    return Reply(refresh=shown, queued=True)


def acknowledge(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    version_id: int | None,
    now: datetime,
) -> CharterVersion | Refused:
    """`user_id` acknowledges charter version `version_id`; the author hears about it. Signed
    by both now, a new schedule in it takes effect (the series moves to it)."""
    found = member_version(session, team_id, user_id, version_id)
    if isinstance(found, Refused):
        return found
    membership, version = found
    if find_ack(session, version.id, membership.me.id) is not None:
        if version.author_id == membership.me.id:
            return Refused(f"You wrote version {version.version}, so it's acknowledged already.")
        return Refused(f"You've already acknowledged version {version.version}. Thank you!")
    if membership.pair.status not in LIVE:
        return Refused(NOT_LIVE)
    latest = current_charter(session, version.pair_id)
    if latest is not None and latest.version != version.version:
        return Refused(
            f"Version {version.version} has been replaced by version {latest.version}; "
            f"please look at that one instead (`/tandem charter history`)."
        )
    try:
        with session.begin_nested():
            session.add(
                CharterAck(
                    team_id=team_id,
                    charter_version_id=version.id,
                    person_id=membership.me.id,
                    acked_at=now,
                )
            )
    except IntegrityError:
        return Refused(f"You've already acknowledged version {version.version}. Thank you!")
    author = session.get(Person, version.author_id)
    agreed = schedule_in_force(session, membership.pair)
    if agreed is None or schedule_changed(agreed, version):
        # Signed by both now: its schedule takes effect.
        publish(ctx, session, CharterSaved(membership.pair, version, now))
    dm_member(
        session,
        author.user_id,
        team_id=team_id,
        key=f"charter.acked:{version.pair_id}:{version.version}:{membership.me.user_id}",
        kind="charter.acked",
        text=charter_blocks.acked_notice(version, membership.me),
        deliver_after=now,
        pair_id=version.pair_id,
    )
    session.flush()
    return version
