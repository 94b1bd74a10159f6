"""The `/tandem` subcommands: what each is called, how it is used, and what it does."""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Subcommand:
    """One `/tandem` subcommand as people see it in help."""

    name: str
    usage: str
    summary: str


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", "/tandem help", "Show this list."),
    Subcommand(
        "pair", "/tandem pair @mentor @mentee", "Propose a mentoring pair; both must accept."
    ),
    Subcommand(
        "charter",
        "/tandem charter [@partner | history [n]]",
        "Write or revise your charter, or see its versions.",
    ),
    Subcommand(
        "goal", "/tandem goal [@partner]", "Set a goal with a why, a target date and milestones."
    ),
    Subcommand(
        "update",
        "/tandem update [@partner]",
        "Post progress on a goal (or an experiment) and tick milestones.",
    ),
    Subcommand(
        "celebrate",
        "/tandem celebrate [@partner] <win>",
        "Celebrate a win outside any goal (a new job, a talk given) with your partner.",
    ),
    Subcommand("log", "/tandem log", "Record a meeting that happened off-schedule, with notes."),
    Subcommand(
        "notes",
        "/tandem notes [@partner] [page]",
        "Past meetings, newest first: shared notes, your private notes, next actions.",
    ),
    Subcommand("agenda", "/tandem agenda <item>", "Add an item to your next meeting's agenda."),
    Subcommand("reschedule", "/tandem reschedule", "Move your next meeting to another time."),
    Subcommand(
        "feedback", "/tandem feedback", "Give feedback to your partner, or to the programme only."
    ),
    Subcommand("share", "/tandem share <text or link>", "Log something you gave your partner."),
    Subcommand(
        "review", "/tandem review [history]", "Start a review of how the mentorship is going."
    ),
    Subcommand(
        "stage",
        "/tandem stage [@partner] [skill building | career strategy | peer collaboration]",
        "See or change your mentorship's stage.",
    ),
    Subcommand(
        "pause", "/tandem pause until <date>", "Pause every nudge for your pair until a date."
    ),
    Subcommand("resume", "/tandem resume", "Resume nudges after a pause."),
    Subcommand(
        "status", "/tandem status", "Your pairs, charters, goals and what is waiting on you."
    ),
    Subcommand(
        "preferences",
        "/tandem preferences [calendar]",
        "My quiet hours; snooze or mute nudges I don't want right now; `calendar`: a private "
        "calendar feed of my meetings (a new address each time).",
    ),
    Subcommand("end", "/tandem end", "Graduate or close a mentorship, with a short retrospective."),
    Subcommand(
        "join",
        "/tandem join",
        "Join the matching pool: your role, topics and how many mentees you'd take.",
    ),
    Subcommand("leave", "/tandem leave", "Leave the matching pool (your pairs carry on)."),
    Subcommand(
        "admin",
        "/tandem admin [import | match | pairs | cohorts | feedback | settings]",
        "Run the programme: import pairs, matching rounds, pairs at risk, cohorts (admins only).",
    ),
)

NAMES = tuple(sub.name for sub in SUBCOMMANDS)


def parse(text: str) -> tuple[str, str]:
    """Split the command text into (subcommand, the rest); no text means help."""
    text = (text or "").strip()
    if not text:
        return "help", ""
    name, _, rest = text.partition(" ")
    return name.lower(), rest.strip()


def suggestion(name: str) -> str | None:
    """The subcommand someone probably meant by `name`, if one is close."""
    matches = difflib.get_close_matches(name, NAMES, n=1, cutoff=0.6)
    return matches[0] if matches else None
