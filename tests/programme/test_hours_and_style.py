"""Working hours, "flexible", and working style in matching; why people stay unmatched; who
else could mentor a mentee. Pure rules, checked against references restated here."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.programme.match_reasons_rules import Unmatched, alternatives, unmatched_reasons
from bot.programme.matching_rules import Candidate, Role, match_pool, total_score

LONDON, TOKYO, NEW_YORK = 0, 9 * 60, -5 * 60


def mentor(key: str, offset: int = LONDON, **kw) -> Candidate:
    return Candidate(
        key, Role.MENTOR, offers=frozenset({"python"}), utc_offset_minutes=offset, **kw
    )


def mentee(key: str, offset: int = LONDON, seeks=("python",), **kw) -> Candidate:
    return Candidate(key, Role.MENTEE, seeks=frozenset(seeks), utc_offset_minutes=offset, **kw)


def test_hours_from_the_join_form_decide_the_overlap() -> None:
    # London 12:00–20:00 and New York 09:00–17:00 (14:00–22:00 UTC) share six hours.
    late = mentor("M", hours=(12 * 60, 20 * 60))
    [match] = match_pool([late, mentee("E", NEW_YORK)])
    assert match.overlap_minutes == 6 * 60
    # With the default 09:00–17:00 they'd share three.
    [match] = match_pool([mentor("M"), mentee("E", NEW_YORK)])
    assert match.overlap_minutes == 3 * 60


def test_tokyo_and_london_meet_only_when_one_is_flexible() -> None:
    pool = [mentor("M"), mentee("E", TOKYO)]
    assert match_pool(pool) == []
    assert unmatched_reasons(pool, []) == {"E": Unmatched.NO_HOURS, "M": Unmatched.NOT_SOUGHT}
    # Flexible in Tokyo: 07:00–21:00 there is 22:00–12:00 UTC, three hours with London's day.
    [match] = match_pool([mentor("M"), mentee("E", TOKYO, flexible=True)])
    assert match.overlap_minutes == 3 * 60
    # Both flexible: London's 07:00–21:00 and Tokyo's (22:00–12:00 UTC) share 07:00–12:00.
    [match] = match_pool([mentor("M", flexible=True), mentee("E", TOKYO, flexible=True)])
    assert match.overlap_minutes == 5 * 60


def test_each_unmatched_person_gets_the_first_reason_that_holds() -> None:
    pool = [
        mentor("M1", capacity=1),
        mentee("E1"),
        mentee("E2"),  # M1 fits but takes one: full
        mentee("E3", TOKYO),  # topic offered, hours never overlap
        mentee("E4", seeks=("sales",)),  # nobody offers it
    ]
    matches = match_pool(pool)
    assert len(matches) == 1
    reasons = unmatched_reasons(pool, matches)
    left = ({"E1", "E2"} - {matches[0].mentee}).pop()
    assert reasons == {left: Unmatched.FULL, "E3": Unmatched.NO_HOURS, "E4": Unmatched.NO_TOPIC}


def test_alternatives_are_fitting_mentors_with_room_best_first() -> None:
    them = mentee("E", style=("written", "", ""))
    pool = [
        them,
        mentor("CURRENT"),
        mentor("FULL"),
        mentor("FAR", TOKYO),
        mentor("CLOSE", 60),  # an hour away: 7h overlap
        mentor("SAME"),  # 8h
        mentor("SAME_STYLE", style=("written", "", "")),  # 8h and the same style
        Candidate("TWO", Role.MENTOR, frozenset({"python", "go"}), utc_offset_minutes=TOKYO),
    ]
    found = alternatives(them, pool, room={"FULL": 0}, exclude={"CURRENT"})
    assert [m.mentor for m in found] == ["SAME_STYLE", "SAME", "CLOSE"]
    assert found[0].same_style == ("written",) and found[1].same_style == ()


def test_style_breaks_a_tie_and_says_so() -> None:
    them = mentee("E", style=("spoken", "planned", ""))
    pool = [them, mentor("A", style=("written", "", "")), mentor("B", style=("spoken", "", ""))]
    [match] = match_pool(pool, seed=1)
    assert match.mentor == "B" and match.same_style == ("spoken",) and match.style_decided
    # No tie (B an hour further): hours win, and style is not said to have mattered.
    pool = [them, mentor("A"), mentor("B", 60, style=("spoken", "planned", ""))]
    [match] = match_pool(pool, seed=1)
    assert match.mentor == "A" and not match.style_decided


STYLES = st.tuples(
    st.sampled_from(["", "written", "spoken"]),
    st.sampled_from(["", "planned", "spontaneous"]),
    st.sampled_from(["", "direct", "gentle"]),
)


@st.composite
def styled_pools(draw):
    size = draw(st.integers(min_value=2, max_value=14))
    topics = st.frozensets(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=2)
    return [
        Candidate(
            f"U{n:02d}",
            draw(st.sampled_from(list(Role))),
            draw(topics),
            draw(topics),
            draw(st.integers(min_value=0, max_value=2)),
            draw(st.sampled_from([0, 60, 120, 540])),
            hours=draw(st.sampled_from([(540, 1020), (480, 960), (600, 1200)])),
            flexible=draw(st.booleans()),
            style=draw(STYLES),
        )
        for n in range(size)
    ]


@settings(max_examples=150, deadline=None)
@given(styled_pools(), st.integers(min_value=0, max_value=2**16))
def test_style_never_changes_the_round_s_topics_and_hours_total(pool, seed) -> None:
    plain = [
        Candidate(
            c.key, c.role, c.offers, c.seeks, c.capacity, c.utc_offset_minutes, c.hours, c.flexible
        )
        for c in pool
    ]
    styled, without = match_pool(pool, seed=seed), match_pool(plain, seed=seed)
    assert total_score(styled) == total_score(without)
    assert all(m.style_decided <= bool(m.same_style) for m in styled)
