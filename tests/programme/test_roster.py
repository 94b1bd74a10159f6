"""Reading an import file: what is taken, what is refused by line, what makes it unusable."""

import pytest

from bot.programme.roster_rules import (
    MAX_LINES,
    PersonRef,
    RefKind,
    Roster,
    Unusable,
    decode,
    parse_roster,
)


def _uid(value: str) -> PersonRef:
    return PersonRef(RefKind.USER_ID, value)


def _email(value: str) -> PersonRef:
    return PersonRef(RefKind.EMAIL, value)


def test_ids_mentions_and_emails_with_an_optional_cohort():
    roster = parse_roster(
        "mentor,mentee,cohort\n"
        "U0MAYA,U0NOAH,Spring 2027\n"
        "<@U0MAYA|maya>,Ines@Example.com,\n"
        "<@W0ADA>,<@U0NOAH>,Spring 2027\n"
    )
    assert isinstance(roster, Roster)
    assert roster.problems == []
    assert [(ln.number, ln.mentor, ln.mentee, ln.cohort) for ln in roster.lines] == [
        (2, _uid("U0MAYA"), _uid("U0NOAH"), "Spring 2027"),
        (3, _uid("U0MAYA"), _email("ines@example.com"), None),
        (4, _uid("W0ADA"), _uid("U0NOAH"), "Spring 2027"),
    ]


def test_bom_semicolons_crlf_quotes_and_header_case_are_read_alike():
    raw = '\ufeffMentee;MENTOR;Cohort\r\n"U0NOAH";U0MAYA;"Spring; 2027"\r\n\r\n'.encode()
    text = decode(raw)
    assert isinstance(text, str)
    roster = parse_roster(text)
    assert isinstance(roster, Roster)
    [line] = roster.lines
    assert (line.mentor, line.mentee, line.cohort) == (
        _uid("U0MAYA"),
        _uid("U0NOAH"),
        "Spring; 2027",
    )


def test_each_bad_line_is_refused_by_number_and_the_rest_is_kept():
    roster = parse_roster(
        "mentor,mentee\n"
        "U0MAYA,U0NOAH\n"
        "U0MAYA,U0MAYA\n"
        "@maya,U0NOAH\n"
        "U0MAYA,\n"
        "hello,U0NOAH\n"
        "U0MAYA,U0NOAH\n"
        "U0ADA,U0NOAH,extra,cells\n"
    )
    assert isinstance(roster, Roster)
    assert [ln.number for ln in roster.lines] == [2]
    reasons = {p.number: p.reason for p in roster.problems}
    assert reasons[3] == "<@U0MAYA> is named as both mentor and mentee"
    assert "display name" in reasons[4]
    assert reasons[5] == "mentee: a person is missing"
    assert "“hello” is not a Slack user id" in reasons[6]
    assert reasons[7] == "it repeats line 2"
    assert reasons[8] == "it has 4 cells; expected 2"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "no pairs"),
        ("\n\n", "no pairs"),
        ("mentor,mentee\n", "no pairs after it"),
        ("name,email\nMaya,maya@example.com\n", "The header should be `mentor,mentee,cohort`"),
        ("U0MAYA,U0NOAH\n", "The first line should be the header"),
        ("mentor,mentee,notes\nU0MAYA,U0NOAH,hi\n", "I don't know the column “notes”"),
        ("mentor,mentee,mentee\nU0MAYA,U0NOAH,U0ADA\n", "named twice"),
    ],
)
def test_files_that_cannot_be_used_say_why(text, words):
    result = parse_roster(text)
    assert isinstance(result, Unusable)
    assert words in result.message


def test_pasted_lines_may_leave_the_header_out():
    roster = parse_roster("U0MAYA,U0NOAH\nU0ADA,noah@example.com,Autumn", header_optional=True)
    assert isinstance(roster, Roster)
    assert [(ln.number, ln.cohort) for ln in roster.lines] == [(1, None), (2, "Autumn")]


def test_ten_thousand_lines_are_refused_whole_with_the_limit():
    body = "".join(f"U{n:07d},U{n + 1:07d}\n" for n in range(10_000))
    result = parse_roster("mentor,mentee\n" + body)
    assert isinstance(result, Unusable)
    assert "10,000 pairs" in result.message and f"{MAX_LINES:,}" in result.message
    assert "Nothing was imported" in result.message


def test_bytes_that_are_not_utf8_are_unusable():
    result = decode("mentor,mentee\nJosé,U0NOAH\n".encode("cp1252"))
    assert isinstance(result, Unusable)
    assert "CSV UTF-8" in result.message
