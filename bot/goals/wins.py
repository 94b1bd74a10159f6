"""Celebrating a win outside any goal (`/tandem celebrate`, Home's "Celebrate a win"): a new
job, a talk given, a hard conversation handled.

The win is the owner's words, kept in `PersonalWin`; it is celebrated like a goal's milestone
(bot/goals/celebrations.py): once, with warm words in the pair's group DM, and offered to the
celebrations channel through the same consent (bot/goals/announcements.py `offer_share`), so
it reaches the channel only when the owner says yes or the charter says always.
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.membership import LIVE, NO_PAIR, Membership, Refusals, guard, memberships
from bot.core.modal_state import ModalState
from bot.core.picker import PAIR_BLOCK_ID, picked_pair_id
from bot.core.results import FieldErrors, Refused, Reply, Result
from bot.delivery.service import post_to_pair
from bot.goals.announcements import WIN_KIND, load_win, offer_share
from bot.goals.blocks import cheers
from bot.goals.blocks.modals import notice_modal
from bot.goals.blocks.wins import WIN_BLOCK, celebrated_text, win_modal
from bot.goals.celebrations import CHEER_KIND, cheer_key, claim_celebration
from bot.goals.win_rules import EMPTY, parse_win, tidy, win_problem
from storage.models import Celebration, PersonalWin

NOT_YOURS = "I couldn't find that mentorship among yours. Open Home again to see your pairs."
CHOOSE = "Choose which pair to celebrate with."


def celebrate_command(
    ctx: Tandem, session: Session, team_id: str, user_id: str, args: str
) -> Result:
    """`/tandem celebrate [@partner] <win>`: celebrated at once when the pair is clear; with
    several pairs and none named, the modal asks which (the words already in it)."""
    mine = memberships(session, team_id, user_id)
    if not mine:
        return Refused(NO_PAIR)
    named, text = parse_win(args, {m.partner.user_id for m in mine})
    if not text:
        return Refused(EMPTY)
    problem = win_problem(text)
    if problem:
        return Refused(f"{problem} Try `/tandem celebrate <your win>`.")
    chosen = next((m for m in mine if m.partner.user_id == named), None)
    if chosen is None and len(mine) > 1:
        return Reply(modal=win_modal(mine, text))
    membership = chosen or mine[0]
    row = record_win(ctx, session, membership, text, ctx.clock.now())
    return Reply(celebrated_text(membership, row.share_status, row.channel_id), queued=True)


def win_form_for(session: Session, team_id: str, user_id: str, pair_id: int | None) -> Result:
    """The "Celebrate a win" modal for one pair (Home's button), for a member of it."""
    membership = guard(session, team_id, user_id, pair_id, Refusals(NOT_YOURS), LIVE)
    if isinstance(membership, Refused):
        return membership
    return Reply(modal=win_modal([membership]))


def submit_win(
    ctx: Tandem,
    session: Session,
    team_id: str,
    user_id: str,
    values: ModalState,
    metadata: dict[str, Any],
) -> Result:
    """The modal's submission: the win celebrated (the modal says so), or a field error."""
    errors: dict[str, str] = {}
    text = tidy(values.text(WIN_BLOCK, WIN_BLOCK) or "")
    if problem := win_problem(text):
        errors[WIN_BLOCK] = problem
    pair_id = picked_pair_id(values) or parse_id(metadata.get("pair"))
    if pair_id is None:
        errors[PAIR_BLOCK_ID] = CHOOSE
    if errors:
        return FieldErrors(errors)
    membership = guard(session, team_id, user_id, pair_id, Refusals(NOT_YOURS), LIVE)
    if isinstance(membership, Refused):
        return membership
    row = record_win(ctx, session, membership, text, ctx.clock.now())
    said = celebrated_text(membership, row.share_status, row.channel_id)
    return Reply(modal=notice_modal(said), queued=True)


def record_win(
    ctx: Tandem, session: Session, membership: Membership, text: str, now: datetime
) -> Celebration:
    """Keep the win, cheer in the group DM and offer it to the channel as the charter says;
    returns its Celebration (whose share status says what was offered)."""
    pair = membership.pair
    win = PersonalWin(
        team_id=pair.team_id,
        pair_id=pair.id or 0,
        owner_id=membership.me.id or 0,
        text=text,
        created_at=now,
    )
    session.add(win)
    session.flush()
    row = claim_celebration(session, pair, WIN_KIND, str(win.id), now)
    loaded = load_win(session, row) if row is not None else None
    assert row is not None and loaded is not None  # a new win's id was never celebrated
    note = offer_share(ctx, session, loaded, now)
    content = cheers.win_cheer(membership.me, membership.partner, text, note)
    post_to_pair(session, pair, key=cheer_key(row), kind=CHEER_KIND, deliver_after=now, **content)
    return row
