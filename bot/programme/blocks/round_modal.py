"""A stored matching round in a modal: opened from Home (or the round's message) and left
and reopened until it is sent or discarded. Each proposal shows its reasons and both join
notes, with Swap mentor and Drop; a swap shows the mentee's next-best mentors in the same
modal. Pages keep a view within Slack's 100 blocks: two blocks a match, 30 a page."""

from typing import Any

from bot.core import slack_time
from bot.core.kit import actions, button, clip, context, modal, mrkdwn_escape, section
from bot.programme.blocks.rounds import OPEN_ACTION
from bot.programme.blocks.unmatched import why_unmatched_line
from bot.programme.service.round_edits import SwapChoice
from bot.programme.service.rounds import RoundView
from storage.models import MatchRound

PAGE_ACTION = "programme.round.page"
SWAP_ACTION = "programme.round.swap"
CHOOSE_ACTION = "programme.round.choose"
DROP_ACTION = "programme.round.drop"
SEND_ACTION = "programme.round.send"
DISCARD_ACTION = "programme.round.discard"
PER_PAGE = 30  # 2 blocks each + at most 6 others: within the 100 of a modal
NOTE_SHOWN = 280  # characters of a join note shown beside a proposal


def hours(minutes: int) -> str:
    """6h, or 1h30."""
    whole, rest = divmod(minutes, 60)
    return f"{whole}h{rest:02d}" if rest else f"{whole}h"


def reasons(topics: list[str] | tuple[str, ...], minutes: int, similar_style: bool) -> str:
    """Why a mentor fits: shared topics, overlapping hours, and a similar working style when
    it decided between mentors otherwise as good."""
    shown = ", ".join(mrkdwn_escape(t) for t in topics)
    line = f"Shared topics: {shown} · Working hours overlap: {hours(minutes)}"
    return f"{line} · similar working style" if similar_style else line


def _note(who: str, note: str | None) -> str:
    if not note:
        return ""
    return f"\n_{who}'s note:_ {mrkdwn_escape(clip(' '.join(note.split()), NOTE_SHOWN))}"


def round_modal(view: RoundView, page: int = 0, notice: str = "") -> dict[str, Any]:
    """The round, one page of its proposals, with what the admin can still do to it."""
    rows = view.proposals
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    round_id = view.round.id
    kept = sum(not p.dropped for p, _, _ in rows)
    cohort = f" for *{mrkdwn_escape(view.cohort.name)}*" if view.cohort else ""
    if view.round.sent_at is not None:
        summary = f"Round {round_id}{cohort} was sent: {kept} match(es) proposed."
    elif view.round.discarded_at is not None:
        summary = f"Round {round_id}{cohort} was discarded: nothing was sent."
    else:
        summary = (
            f"Round {round_id}{cohort}, run {slack_time.when(view.round.created_at)}: "
            f"{len(rows)} match(es), {kept} to send. Nothing is sent until you press Send."
        )
    blocks: list[dict[str, Any]] = []
    if notice:
        blocks.append(context(notice))
    blocks.append(section(summary))
    unmatched = why_unmatched_line(dict(view.why_unmatched))
    if unmatched:
        blocks.append(context(f"{unmatched} Each is told why in one DM once the round is sent."))
    for proposal, mentor, mentee in rows[page * PER_PAGE : (page + 1) * PER_PAGE]:
        pair = f"<@{mentor.user_id}> → <@{mentee.user_id}>"
        why = reasons(proposal.shared_topics, proposal.overlap_minutes, proposal.similar_style)
        text = f"{pair}\n{why}"
        text += _note("Mentee", view.notes.get(mentee.id or 0))
        text += _note("Mentor", view.notes.get(mentor.id or 0))
        if proposal.dropped:
            text = f"~{pair}~ (dropped)"
        if not view.open:
            outcome = f"\n_{mrkdwn_escape(proposal.outcome)}_" if proposal.outcome else ""
            blocks.append(section(clip(text + outcome, 3000), block_id=f"round.p.{proposal.id}"))
            continue
        blocks.append(section(clip(text, 3000), block_id=f"round.p.{proposal.id}"))
        value = f"{proposal.id}:{page}"
        blocks.append(
            actions(
                button("Swap mentor", SWAP_ACTION, value),
                button("Keep" if proposal.dropped else "Drop", DROP_ACTION, value),
                block_id=f"round.a.{proposal.id}",
            )
        )
    navigation = []
    if page > 0:
        navigation.append(button("◀ Previous", f"{PAGE_ACTION}.prev", f"{round_id}:{page - 1}"))
    if page < pages - 1:
        navigation.append(button("Next ▶", f"{PAGE_ACTION}.next", f"{round_id}:{page + 1}"))
    if view.open and kept:
        navigation.append(
            button(
                f"Send {kept} proposal(s)",
                SEND_ACTION,
                str(round_id),
                style="primary",
                confirm=_confirm(
                    "Send the proposals?",
                    f"Both people of each of the {kept} match(es) are asked to accept; "
                    "those left unmatched are told why.",
                    "Send",
                ),
            )
        )
    if view.open:
        navigation.append(
            button(
                "Discard round",
                DISCARD_ACTION,
                str(round_id),
                style="danger",
                confirm=_confirm("Discard this round?", "Nothing is sent.", "Discard"),
            )
        )
    if navigation:
        blocks.append(actions(*navigation, block_id=f"round.nav.{page}"))
    if pages > 1:
        blocks.append(context(f"Page {page + 1} of {pages}."))
    return modal("Matching round", blocks, close="Close", metadata=[round_id, page])


def _confirm(title: str, text: str, yes: str) -> dict[str, Any]:
    return {
        "title": {"type": "plain_text", "text": title},
        "text": {"type": "plain_text", "text": text},
        "confirm": {"type": "plain_text", "text": yes},
        "deny": {"type": "plain_text", "text": "Not yet"},
    }


def swap_modal(choice: SwapChoice, page: int) -> dict[str, Any]:
    """The next-best mentors for a proposal's mentee, each with their reasons and Choose."""
    proposal, mentee = choice.proposal, choice.mentee
    now = reasons(proposal.shared_topics, proposal.overlap_minutes, proposal.similar_style)
    blocks: list[dict[str, Any]] = [
        section(f"Swap the mentor of <@{mentee.user_id}>."),
        context(f"Proposed now: <@{choice.mentor.user_id}> · {now}"),
    ]
    for match, mentor in choice.options:
        line = reasons(match.shared_topics, match.overlap_minutes, False)
        if match.same_style:
            line += " · similar working style (" + ", ".join(match.same_style) + ")"
        blocks.append(
            section(
                f"<@{mentor.user_id}>\n{line}",
                block_id=f"swap.{mentor.user_id}",
                accessory=button("Choose", CHOOSE_ACTION, f"{proposal.id}:{page}:{mentor.user_id}"),
            )
        )
    if not choice.options:
        blocks.append(section("No other mentor fits this mentee with room left in the round."))
    blocks.append(
        actions(
            button("◀ Back to the round", f"{PAGE_ACTION}.back", f"{proposal.round_id}:{page}"),
            block_id="swap.back",
        )
    )
    return modal("Swap mentor", blocks, close="Close", metadata=[proposal.round_id, page])


def open_round_entry(found: MatchRound) -> list[dict[str, Any]]:
    """Home's entry for a round left open: when it ran, and the button that reopens it."""
    return [
        section(
            f"*A matching round is waiting to be sent* (run {slack_time.when(found.created_at)} "
            f"by <@{found.run_by_user_id}>): swap, drop, then send or discard it.",
            block_id="home.round",
            accessory=button("Open matching round", OPEN_ACTION, str(found.id), style="primary"),
        )
    ]
