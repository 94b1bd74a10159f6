"""Who plays a season, and how each pair behaves: the cast of `bench season`.

Pairs are proposed in early December and agree, in their charter, to start in March; the
season is the weeks from Monday 1 March 2027. Each pair has a behaviour that decides how it
answers "did you meet?": diligent (always met), drifting (met every other time on a weekly
charter, skipped in between), ghost (never answers). Timezones differ on purpose: a Berlin
mentor with a Tokyo mentee crosses Europe's clock change (28 March 2027), a fortnightly pair
in Sydney crosses Australia's (4 April), and one mentor in London meets three mentees on the
same Monday.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

DILIGENT, DRIFTING, GHOST = "diligent", "drifting", "ghost"

PAIRING_AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday in December
SEASON_START = date(2027, 3, 1)  # a Monday: the charters' start date
ADMIN = ("UADMIN0001", "ada", "Europe/London")


@dataclass(frozen=True)
class Member:
    """One person in the workspace."""

    user_id: str
    name: str
    tz: str


@dataclass(frozen=True)
class PairPlan:
    """A pair, its charter's rhythm and how it behaves."""

    label: str
    mentor: Member
    mentee: Member
    behaviour: str
    cadence: str  # a charter cadence: weekly, biweekly, monthly
    weekday: int  # 0 is Monday
    time: str  # HH:MM in `zone`
    zone: str

    @property
    def members(self) -> tuple[Member, Member]:
        """Mentor, mentee."""
        return self.mentor, self.mentee


def _m(user_id: str, name: str, tz: str) -> Member:
    return Member(user_id, name, tz)


MAX = _m("UMAX00001", "max", "Europe/London")  # the mentor in three pairs

FULL_CAST: tuple[PairPlan, ...] = (
    PairPlan(
        "diligent",
        _m("UDINA0001", "dina", "Europe/Lisbon"),
        _m("UDAN00001", "dan", "Europe/Lisbon"),
        DILIGENT,
        "weekly",
        1,
        "10:00",
        "Europe/Lisbon",
    ),
    PairPlan(
        "drifting",
        _m("URITA0001", "rita", "Europe/Madrid"),
        _m("URAUL0001", "raul", "Europe/Madrid"),
        DRIFTING,
        "weekly",
        2,
        "11:00",
        "Europe/Madrid",
    ),
    PairPlan(
        "ghost",
        _m("UGUS00001", "gus", "America/New_York"),
        _m("UGWEN0001", "gwen", "America/New_York"),
        GHOST,
        "weekly",
        3,
        "12:00",
        "America/New_York",
    ),
    PairPlan(
        "berlin-tokyo",
        _m("UBEA00001", "bea", "Europe/Berlin"),
        _m("UTARO0001", "taro", "Asia/Tokyo"),
        DILIGENT,
        "weekly",
        3,
        "09:00",
        "Europe/Berlin",
    ),
    PairPlan(
        "busy-10:00",
        MAX,
        _m("UMIA00001", "mia", "Europe/London"),
        DILIGENT,
        "weekly",
        0,
        "10:00",
        "Europe/London",
    ),
    PairPlan(
        "busy-14:00",
        MAX,
        _m("UIVO00001", "ivo", "Europe/Amsterdam"),
        DILIGENT,
        "weekly",
        0,
        "14:00",
        "Europe/London",
    ),
    PairPlan(
        "busy-16:00",
        MAX,
        _m("UNOA00001", "noa", "America/New_York"),
        DILIGENT,
        "weekly",
        0,
        "16:00",
        "Europe/London",
    ),
    PairPlan(
        "sydney-fortnightly",
        _m("USAM00001", "sam", "Australia/Sydney"),
        _m("USIA00001", "sia", "Australia/Sydney"),
        DILIGENT,
        "biweekly",
        2,
        "10:00",
        "Australia/Sydney",
    ),
)

# The test suite's short season: the cap (a mentor in three pairs), a lapse and its absence.
SHORT_CAST: tuple[PairPlan, ...] = tuple(
    plan
    for plan in FULL_CAST
    if plan.label in ("diligent", "ghost", "busy-10:00", "busy-14:00", "busy-16:00")
)


def people_of(cast: tuple[PairPlan, ...]) -> list[Member]:
    """Everyone in `cast`, once each, in order of appearance."""
    seen: dict[str, Member] = {}
    for plan in cast:
        for member in plan.members:
            seen.setdefault(member.user_id, member)
    return list(seen.values())
