"""Cadence drift in words and numbers: the offer in the group DM, its answers, the status
line and the review topic (see bot/reflection/drift_rules.py for what is compared)."""

from typing import Any

from bot.core.kit import actions, button, checked_message, context, section
from bot.reflection.drift_rules import CADENCE_WORDS, Drift
from storage.models import Pair

# Button action ids: stable, `bench season` and the listeners know them.
ADOPT = "drift.adopt"
KEEP = "drift.keep"
REVIEW = "drift.review"
KEEP_WEEKS = 8


def seen_drift(pair: Pair) -> Drift | None:
    """The drift the last look saw for `pair`, if any."""
    if pair.drift_cadence is None or not pair.drift_expected or not pair.drift_met:
        return None
    return Drift(pair.drift_cadence, pair.drift_expected, pair.drift_met)


def _about(drift: Drift) -> str:
    lived = drift.lived_words()
    return {"weekly": "once a week", "monthly": "once a month"}.get(lived, lived)


def what_we_saw(drift: Drift) -> str:
    """ "You agreed to meet weekly. Over the last 8 weeks you met 4 times, about every 2 weeks." """
    return (
        f"You agreed to meet {drift.agreed_words()}. Over the last {drift.span_words()} "
        f"you met {drift.met} times, about {_about(drift)}."
    )


def offer_message(pair_id: int, drift: Drift) -> dict[str, Any]:
    """The offer in the pair's group DM: what was seen, and three ways to answer it."""
    agreed = drift.agreed_words()
    buttons = []
    suggested = drift.suggested_cadence()
    if suggested is not None:
        buttons.append(
            button(
                f"Make it {CADENCE_WORDS[suggested]}",
                ADOPT,
                f"{pair_id}:{suggested}",
                style="primary",
            )
        )
    buttons += [
        button(f"Keep {agreed}", KEEP, str(pair_id)),
        button("Talk about it in our review", REVIEW, str(pair_id)),
    ]
    text = what_we_saw(drift)
    blocks = [
        section(text),
        context(
            "Rhythms change. Change the charter to the one you live (your partner co-signs it, "
            f"as any edit), keep {agreed} (I won't bring it up for {KEEP_WEEKS} weeks), or "
            "raise it in your next review."
        ),
        actions(*buttons, block_id="drift.offer"),
    ]
    return {"text": text, "blocks": checked_message(blocks)}


def kept_text(drift: Drift | None, who: str) -> str:
    """The offer once a member chose to keep the agreed rhythm."""
    agreed = drift.agreed_words() if drift else "your rhythm"
    return (
        f"{who} chose to keep meeting {agreed}. I won't bring the rhythm up again for "
        f"{KEEP_WEEKS} weeks."
    )


def to_review_text(who: str) -> str:
    """The offer once a member added it to the next review."""
    return f"{who} added your rhythm to your next review: it will be there when you answer it."


def status_line(drift: Drift) -> str:
    """ "Rhythm as lived: agreed weekly · lived every 2 weeks (4 meetings in 8 weeks)" """
    return (
        f"Rhythm as lived: agreed {drift.agreed_words()} · lived {drift.lived_words()} "
        f"({drift.met} meetings in {drift.span_words()})"
    )


def review_topic(pair: Pair) -> list[dict[str, Any]]:
    """The rhythm, as a topic of the review, when the pair asked for it (else nothing)."""
    drift = seen_drift(pair)
    if not pair.drift_to_review or drift is None:
        return []
    return [section(f"*You wanted to talk about your rhythm.* {what_we_saw(drift)}")]
