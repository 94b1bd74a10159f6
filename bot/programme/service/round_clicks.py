"""The matching round's modal: open it (from Home or the round's message), turn its pages,
swap a mentor, drop a match, send or discard the round. Values carry ids, looked up again in
the admin's own workspace (the listener has checked they are an admin)."""

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import notice_modal
from bot.core.results import Refused, Reply, Result
from bot.programme.blocks.round_modal import round_modal, swap_modal
from bot.programme.service import round_edits
from bot.programme.service import rounds as round_service
from storage.models import Person


def _ids(value: str) -> list[str]:
    return value.split(":")


def open_round(session: Session, admin: Person, value: str) -> Result:
    """Open the round's modal on its first page."""
    view = round_service.round_view(session, admin.team_id, parse_id(value))
    return view if isinstance(view, Refused) else Reply(modal=round_modal(view))


def turn_page(session: Session, admin: Person, value: str) -> Result:
    """Another page of the round (or back to it from a swap), in the same modal."""
    round_id, page = (_ids(value) + [""])[:2]
    view = round_service.round_view(session, admin.team_id, parse_id(round_id))
    if isinstance(view, Refused):
        return view
    return Reply(refresh=round_modal(view, parse_id(page) or 0))


def swap(ctx: Tandem, session: Session, admin: Person, value: str) -> Result:
    """The mentee's next-best mentors, with their reasons, in place of the round."""
    proposal_id, page = (_ids(value) + [""])[:2]
    now = ctx.clock.now()
    choice = round_edits.swap_choice(session, admin.team_id, parse_id(proposal_id), now)
    if isinstance(choice, Refused):
        return choice
    return Reply(refresh=swap_modal(choice, parse_id(page) or 0))


def choose(ctx: Tandem, session: Session, admin: Person, value: str) -> Result:
    """The mentor chosen in a swap takes the proposal; back to the round's page."""
    proposal_id, page, mentor = (_ids(value) + ["", ""])[:3]
    now = ctx.clock.now()
    view = round_edits.swap_mentor(session, admin, parse_id(proposal_id), mentor, now)
    if isinstance(view, Refused):
        return view
    notice = f"✅ Swapped: <@{mentor}> is now the proposed mentor."
    return Reply(refresh=round_modal(view, parse_id(page) or 0, notice))


def drop(session: Session, admin: Person, value: str) -> Result:
    """Drop a match from the round, or keep it after all; the same page again."""
    proposal_id, page = (_ids(value) + [""])[:2]
    view = round_service.toggle_drop(session, admin.team_id, parse_id(proposal_id))
    if isinstance(view, Refused):
        return view
    return Reply(refresh=round_modal(view, parse_id(page) or 0))


def send(ctx: Tandem, session: Session, client: WebClient, admin: Person, value: str) -> Result:
    """Send the round from its modal (once); the modal then shows what was proposed."""
    now = ctx.clock.now()
    view = round_service.send_round(session, client, admin, admin.team_id, parse_id(value), now)
    if isinstance(view, Refused):
        return view
    return Reply(refresh=round_modal(view), queued=True, home=True)


def discard(ctx: Tandem, session: Session, admin: Person, value: str) -> Result:
    """Discard the round: nothing is sent, and Home stops offering it."""
    found = round_edits.discard_round(session, admin, parse_id(value), ctx.clock.now())
    if isinstance(found, Refused):
        return found
    text = (
        f"Round {found.id} was discarded: nothing was sent. `/tandem admin match` runs a new one."
    )
    return Reply(refresh=notice_modal(text, "Matching round"), home=True)
