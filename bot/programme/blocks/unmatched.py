"""The one DM someone gets when a sent matching round left them unmatched: why, and what
they can do. Reasons are found in bot/programme/match_reasons_rules.py."""

from bot.programme.match_reasons_rules import Unmatched

STAYING = "You stay in the matching pool for the next round; `/tandem leave` opts out."
UNMATCHED_TEXT = {
    Unmatched.NO_TOPIC: (
        "This matching round didn't find you a mentor: no mentor in the pool offers a topic "
        "you're looking for yet. You can add related topics with `/tandem join`, and your "
        "programme admins can see which topics people are asking for."
    ),
    Unmatched.NO_HOURS: (
        "This matching round didn't find you a mentor: mentors offer your topics, but none "
        "works hours that overlap yours by at least an hour. If you can, widen your working "
        "hours or tick “I'm flexible on hours” with `/tandem join`."
    ),
    Unmatched.FULL: (
        "This matching round didn't find you a mentor: every mentor who fits your topics and "
        "hours is full this time (or you were paired with them before). As pairs end and "
        "mentors join, places open up; `/tandem join` lets you add topics to widen the choice."
    ),
    Unmatched.NOT_SOUGHT: (
        "This matching round didn't give you a mentee: nobody in it was looking for a topic "
        "you offer within hours that overlap yours, or they were matched with other mentors. "
        "`/tandem join` lets you offer more topics or widen your hours."
    ),
}
SHORT = {
    Unmatched.NO_TOPIC: "no mentor offers their topic",
    Unmatched.NO_HOURS: "no mentor's hours overlap",
    Unmatched.FULL: "every fitting mentor is full",
    Unmatched.NOT_SOUGHT: "mentors nobody needed this round",
}


def unmatched_text(reason: Unmatched) -> str:
    """The DM for someone left unmatched, with what they can do."""
    return f"{UNMATCHED_TEXT[reason]}\n{STAYING}"


def why_unmatched_line(counts: dict[str, int]) -> str:
    """For the admin: how many were left unmatched, for each reason (counts only)."""
    parts = [f"{counts[r.value]} {SHORT[r]}" for r in Unmatched if counts.get(r.value)]
    return "Unmatched: " + "; ".join(parts) + "." if parts else ""
