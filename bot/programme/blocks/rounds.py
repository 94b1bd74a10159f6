"""A matching round as the admin sees it: proposed matches with reasons, drop, send."""

from typing import Any

from bot.core.kit import actions, button, checked_message, context, header, mrkdwn_escape, section
from bot.programme.blocks.unmatched import why_unmatched_line
from bot.programme.service.rounds import RoundView

DROP_ACTION = "programme.match.drop"
SEND_ACTION = "programme.match.send"
PAGE_ACTION = "programme.match.page"
OPEN_ACTION = "programme.round.open"  # the round's modal (blocks/round_modal.py)
PER_PAGE = 40  # one block per match, within Slack's 50 per message


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


def round_message(view: RoundView, page: int = 0) -> dict[str, Any]:
    """The round's matches (one page), each with its reasons and a Drop button, and Send."""
    rows = view.proposals
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    round_id = view.round.id
    sent = view.round.sent_at is not None
    cohort = f" for *{mrkdwn_escape(view.cohort.name)}*" if view.cohort else ""
    kept = sum(not p.dropped for p, _, _ in rows)
    if sent:
        summary = f"Round {round_id}{cohort} was sent: {kept} match(es) proposed."
    elif view.pool_size:
        summary = (
            f"{len(rows)} match(es) from a pool of {view.pool_size}{cohort}; "
            f"{view.unmatched} stay unmatched rather than get a poor match."
        )
    else:
        summary = f"Round {round_id}{cohort}: {len(rows)} match(es), {kept} kept."
    blocks: list[dict[str, Any]] = [header("Matching round"), section(summary)]
    why = why_unmatched_line(dict(view.why_unmatched))
    if why and not sent:
        blocks.append(context(f"{why} Each is told why in one DM once the round is sent."))
    if view.left_out:
        blocks.append(
            context(
                f"{view.left_out:,} more people in the pool wait for the next round: one round "
                f"takes {view.pool_limit:,} people, so it's ready in seconds, the longest-"
                "waiting first. Send these, then run `/tandem admin match` again."
            )
        )
    for proposal, mentor, mentee in rows[page * PER_PAGE : (page + 1) * PER_PAGE]:
        topics = ", ".join(mrkdwn_escape(t) for t in proposal.shared_topics)
        line = (
            f"<@{mentor.user_id}> → <@{mentee.user_id}>\n"
            f"Shared topics: {topics} · Working hours overlap: {_hours(proposal.overlap_minutes)}"
        )
        if proposal.similar_style:
            line += " · similar working style"
        if proposal.dropped:
            line = f"~<@{mentor.user_id}> → <@{mentee.user_id}>~ (dropped)"
        if sent:
            blocks.append(section(f"{line}\n_{mrkdwn_escape(proposal.outcome)}_"))
            continue
        label = "Keep" if proposal.dropped else "Drop"
        blocks.append(section(line, accessory=button(label, DROP_ACTION, str(proposal.id))))
    buttons = []
    if not sent:  # the round is kept: the modal swaps mentors, shows notes, and reopens
        buttons.append(button("Open round (swap, notes)", OPEN_ACTION, str(round_id)))
    if pages > 1:
        if page > 0:
            buttons.append(button("◀ Previous", f"{PAGE_ACTION}.prev", f"{round_id}:{page - 1}"))
        if page < pages - 1:
            buttons.append(button("Next ▶", f"{PAGE_ACTION}.next", f"{round_id}:{page + 1}"))
    if not sent and kept:
        buttons.append(
            button(
                f"Send {kept} proposal(s)",
                SEND_ACTION,
                str(round_id),
                style="primary",
                confirm={
                    "title": {"type": "plain_text", "text": "Send the proposals?"},
                    "text": {
                        "type": "plain_text",
                        "text": f"Both people of each of the {kept} match(es) are asked to accept.",
                    },
                    "confirm": {"type": "plain_text", "text": "Send"},
                    "deny": {"type": "plain_text", "text": "Not yet"},
                },
            )
        )
    if buttons:
        blocks.append(actions(*buttons, block_id=f"programme.round.{round_id}.{page}"))
    if pages > 1:
        blocks.append(context(f"Page {page + 1} of {pages}."))
    return {"text": summary, "blocks": checked_message(blocks)}
