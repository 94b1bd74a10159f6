"""What pairing says in Slack: the proposal DM, the welcome, and the answers to Accept/Decline."""

from dataclasses import dataclass, field
from typing import Any

from bot.charter.blocks import OPEN_CHARTER_ACTION, describe
from bot.core.kit import actions, button, checked_message, context, section
from storage.models import Pair, PairStatus, Person

Message = tuple[str, list[dict[str, Any]]]

ACCEPT_ACTION = "pair.accept"
DECLINE_ACTION = "pair.decline"
# After graduating (bot/pairs/keep_in_touch.py): each member's choice, and its withdrawal.
KEEP_IN_TOUCH_ACTION = "pair.keep_in_touch"
STOP_KEEPING_IN_TOUCH_ACTION = "pair.keep_in_touch.stop"
KEEP_IN_TOUCH_HINT = (
    "Keep in touch: if you both choose it, I'll check in with you both once at 3 months and "
    "once at 6. Nothing else: no charter, no reminders."
)


def keep_in_touch_button(pair_id: int | None, chosen: bool = False) -> dict[str, Any]:
    """ "Keep in touch" for a graduated pair, or, once chosen, the way to take it back."""
    if chosen:
        return button("Stop the check-ins", STOP_KEEPING_IN_TOUCH_ACTION, str(pair_id))
    return button("Keep in touch", KEEP_IN_TOUCH_ACTION, str(pair_id))


def _at(person: Person) -> str:
    return f"<@{person.user_id}>"


@dataclass(frozen=True)
class MatchReasons:
    """Why a matching round put two people together."""

    shared_topics: tuple[str, ...] = ()
    overlap_minutes: int = 0
    similar_style: bool = False  # a shared working style decided between equal mentors


@dataclass(frozen=True)
class PartnerFacts:
    """What someone is told about the person they would be paired with (from their join
    profile and Slack): the topics they offer or seek, their timezone, their note."""

    topics: tuple[str, ...] = ()
    zone: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ProposalFacts:
    """What makes a proposal one people can say yes to: the programme or cohort, the
    commitment asked (cadence and length), why this match, and each partner's facts (by
    the partner's user id)."""

    programme: str
    cadence: str
    length: str
    reasons: MatchReasons | None = None
    partners: dict[str, PartnerFacts] = field(default_factory=dict)


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _facts_text(facts: ProposalFacts, other: Person, recipient_is_mentor: bool) -> str:
    lines = [
        f"*Programme:* {facts.programme}",
        # The cadence in the charter form's and cohort modal's words.
        f"*Expected commitment:* meetings {describe('cadence', facts.cadence).lower()}, "
        f"{facts.length}",
    ]
    reasons = facts.reasons
    if reasons is not None:
        why = []
        if reasons.shared_topics:
            why.append("shared topics: " + ", ".join(reasons.shared_topics))
        if reasons.overlap_minutes:
            why.append(f"{_hours(reasons.overlap_minutes)} of working hours in common each day")
        if reasons.similar_style:
            why.append("a similar working style")
        lines.append("*Why this match:* " + ("; ".join(why) or "you were the best fit left"))
    partner = facts.partners.get(other.user_id) or PartnerFacts()
    about = []
    if partner.topics:
        verb = "would like help with" if recipient_is_mentor else "offers"
        about.append(f"{verb} {', '.join(partner.topics)}")
    about.append(f"timezone {partner.zone or 'not set in Slack'}")
    lines.append(f"*About {_at(other)}:* " + "; ".join(about))
    if partner.note:
        lines.append(f"> {partner.note}")
    return "\n".join(lines)


def proposal_dm(
    pair: Pair,
    mentor: Person,
    mentee: Person,
    proposer: Person,
    recipient: Person,
    facts: ProposalFacts | None = None,
) -> Message:
    """The DM asking `recipient` to accept or decline a proposed pair (with `facts`: the
    programme, the commitment, why this match and who the partner is)."""
    other = mentee if recipient.id == mentor.id else mentor
    if proposer.id == other.id:
        asked = (
            f"{_at(other)} would like to mentor you."
            if recipient.id == mentee.id
            else f"{_at(other)} would like you to be their mentor."
        )
    else:
        role = "the mentor" if recipient.id == mentor.id else "the mentee"
        asked = (
            f"{_at(proposer)} suggests a mentoring pair: {_at(mentor)} mentoring {_at(mentee)} "
            f"(you'd be {role})."
        )
    blocks = [
        section(f"*A mentoring pair for you?*\n{asked}"),
        *([section(_facts_text(facts, other, recipient.id == mentor.id))] if facts else []),
        context(
            "If you both accept, I'll open a group DM for the two of you and help you write a "
            "charter. Declining is fine: I'll only say it won't go ahead, never who said no."
        ),
        actions(
            button("Accept", ACCEPT_ACTION, str(pair.id), style="primary"),
            button(
                "Decline",
                DECLINE_ACTION,
                str(pair.id),
                confirm={
                    "title": {"type": "plain_text", "text": "Decline this pair?"},
                    "text": {"type": "plain_text", "text": "The proposal will be closed."},
                    "confirm": {"type": "plain_text", "text": "Decline"},
                    "deny": {"type": "plain_text", "text": "Keep it open"},
                },
            ),
            block_id=f"pair.answer.{pair.id}",
        ),
    ]
    return f"A mentoring pair for you? {asked}", checked_message(blocks)


def _charter_button(pair: Pair) -> dict[str, Any]:
    return actions(
        button("Write our charter", OPEN_CHARTER_ACTION, str(pair.id), style="primary"),
        block_id=f"charter.start.{pair.id}",
    )


CHARTER_INVITE = (
    "*First step: your charter.* Agree what each of you wants from this, how often you meet, "
    "how you like feedback and what stays between you. Either of you can start; the other is "
    "asked to acknowledge it, and you can revise it any time with `/tandem charter`."
)


def welcome(pair: Pair, mentor: Person, mentee: Person) -> Message:
    """The greeting in the pair's new group DM, with a button to write the charter."""
    hello = (
        f":wave: Welcome, {_at(mentor)} and {_at(mentee)}! You're now a mentoring pair: "
        f"{_at(mentor)} mentors {_at(mentee)}. This conversation is your pair's home."
    )
    blocks = [section(hello), section(CHARTER_INVITE), _charter_button(pair)]
    return hello, checked_message(blocks)


def welcome_by_dm(pair: Pair, mentor: Person, mentee: Person, recipient: Person) -> Message:
    """The greeting by DM, when the group DM could not be opened (yet)."""
    partner = mentee if recipient.id == mentor.id else mentor
    role = "you mentor them" if recipient.id == mentor.id else "they mentor you"
    hello = f":wave: You and {_at(partner)} are now a mentoring pair ({role})."
    blocks = [
        section(hello),
        context(
            "I couldn't open a group conversation for the two of you just now. I'll keep "
            "trying and say hello there when it works."
        ),
        section(CHARTER_INVITE),
        _charter_button(pair),
    ]
    return hello, checked_message(blocks)


def activated_notice(mentor: Person, mentee: Person) -> str:
    """For an admin who proposed the pair: both accepted."""
    return (
        f"{_at(mentor)} and {_at(mentee)} both accepted: they're now a mentoring pair "
        f"({_at(mentor)} mentors {_at(mentee)})."
    )


def _the_proposal(mentor: Person, mentee: Person, recipient: Person) -> str:
    """The proposal as `recipient` knows it: with their partner, or of the two (a proposer)."""
    if recipient.id in (mentor.id, mentee.id):
        partner = mentee if recipient.id == mentor.id else mentor
        return f"The proposed mentoring pair with {_at(partner)}"
    return f"The proposed pair of {_at(mentor)} (mentor) and {_at(mentee)} (mentee)"


def declined_notice(mentor: Person, mentee: Person, recipient: Person) -> str:
    """For the proposer and the other member: the pair won't go ahead (never who declined)."""
    what = _the_proposal(mentor, mentee, recipient)
    return (
        f"{what} won't go ahead this time. That's okay: a good match matters more than a quick "
        "one. You can propose another pair any time with `/tandem pair @mentor @mentee`."
    )


def proposal_reminder(
    pair: Pair, mentor: Person, mentee: Person, proposer: Person, recipient: Person, days: int
) -> Message:
    """The one reminder of a proposal still waiting for `recipient`, with its buttons, saying
    how long it stays open."""
    text, blocks = proposal_dm(pair, mentor, mentee, proposer, recipient)
    lead = (
        f"A reminder: this proposal is still waiting for your answer. It stays open for {days} "
        "more days, then I'll close it."
    )
    return f"{lead} {text}", [section(lead), *blocks]


def expired_notice(mentor: Person, mentee: Person, recipient: Person) -> str:
    """For both people and the proposer: a proposal nobody finished answering has closed."""
    what = _the_proposal(mentor, mentee, recipient)
    return (
        f"{what} has closed: it waited two weeks without both answers. Nothing else changes; "
        "the same two can be proposed again with `/tandem pair @mentor @mentee`."
    )


def accepted_text(pair: Pair, partner: Person, home: str | None, later: bool = False) -> str:
    """What the Accept button leaves behind in the proposal DM (`home`: the new group DM;
    `later`: Slack asked to wait, so it opens in a minute or so)."""
    if pair.status == PairStatus.ACTIVE:
        if later:
            where = (
                "Slack asked me to slow down for a moment, so I'll open a group DM for the two "
                "of you within a few minutes and say hello there."
            )
        else:
            where = (
                "I've said hello in your new group DM." if home else "I've sent you both a welcome."
            )
        return (
            f":white_check_mark: You accepted, and so did {_at(partner)}: you're now a mentoring "
            f"pair! {where}"
        )
    return (
        f":white_check_mark: You accepted. When {_at(partner)} accepts too, I'll open a group DM "
        "for the two of you."
    )


DECLINED_TEXT = (
    "You declined, so this proposal is closed. I've let the others know it won't go ahead, "
    "without saying who declined."
)


def proposed_reply(mentor: Person, mentee: Person, proposer: Person, asked: list[Person]) -> str:
    """The proposer's ephemeral confirmation."""
    if proposer.id in (mentor.id, mentee.id):
        return (
            f"Done: I've asked {_at(asked[0])} to accept. When they do, I'll open a group DM for "
            "the two of you and help you write your charter."
        )
    return (
        f"Done: I've asked {_at(mentor)} (mentor) and {_at(mentee)} (mentee) to accept. "
        "I'll let you know when they both have."
    )
