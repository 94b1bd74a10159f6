"""Finding the people an import names in Slack, at a cost that suits the list's size.

A few emails are looked up one `users.lookupByEmail` call each (Tier 3: about 50 a minute).
Past SMALL_IMPORT emails that is minutes of waiting on launch day, so the workspace's member
list is paged instead (`users.list`, Tier 2: about 20 pages a minute of up to PAGE_SIZE members)
and the emails matched locally; the paging stops as soon as everyone named is found, and after
as many pages as the per-email lookups it replaces would have cost, when the few emails still
missing are looked up one by one. Members found on the way, the named user ids among them, are
remembered (as users.info would), so the preview asks Slack about none of them again.
"""

import math
from collections.abc import Iterable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.core.people import member_of, remember_profile
from bot.programme.roster_rules import PersonRef, RefKind, RosterLine

SMALL_IMPORT = 20  # emails: up to this many, one lookup each
PAGE_SIZE = 200  # members a users.list page, the most Slack recommends
# A users.list call spends as much of Slack's patience as this many email lookups (Tier 2's
# 20 a minute against Tier 3's 50), which bounds how far paging is worth it.
PAGE_COST = 50 / 20


def lookup_email(client: WebClient, email: str) -> dict | str:
    """The Slack user with `email`, or why there is none."""
    try:
        return client.users_lookupByEmail(email=email)["user"]
    except SlackApiError as error:
        if error.response.get("error") == "users_not_found":
            return f"nobody in this workspace has the email {email}"
        return f"Slack didn't answer when I looked up {email}; import the file again later"


def _members_by_email(
    client: WebClient, emails: set[str], ids: set[str]
) -> tuple[dict[str, dict], dict[str, dict], bool]:
    """Page users.list until every email in `emails` is found, the list ends, or paging has
    cost what looking the emails up would: (members by lower-cased email among `emails`,
    members among `ids`, whether the whole list was read)."""
    by_email: dict[str, dict] = {}
    by_id: dict[str, dict] = {}
    most_pages = max(1, math.ceil(len(emails) / PAGE_COST))
    cursor: str | None = None
    for _ in range(most_pages):
        try:
            page = client.users_list(limit=PAGE_SIZE, cursor=cursor)
        except SlackApiError:
            return by_email, by_id, False  # the rest are looked up one by one
        for user in page.get("members") or []:
            email = str((user.get("profile") or {}).get("email") or "").lower()
            if email in emails:
                by_email[email] = user
            if user.get("id") in ids:
                by_id[user["id"]] = user
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if cursor is None:
            return by_email, by_id, True
        if len(by_email) == len(emails):
            return by_email, by_id, False
    return by_email, by_id, False


def _refs(lines: Iterable[RosterLine]) -> set[PersonRef]:
    return {ref for line in lines for ref in (line.mentor, line.mentee)}


def resolve_people(
    session: Session, client: WebClient, team_id: str, lines: list[RosterLine], now: datetime
) -> dict[PersonRef, str]:
    """User ids for every person the lines name: ids as written, emails looked up (once
    each: one call per email for a small import, the member list paged for a large one).

    An email nobody has maps to why, marked with a leading "!" (user ids never start so).
    """
    refs = _refs(lines)
    found = {ref: ref.value for ref in refs if ref.kind == RefKind.USER_ID}
    emails = {ref.value for ref in refs if ref.kind != RefKind.USER_ID}
    listed: dict[str, dict] = {}
    complete = False
    if len(emails) > SMALL_IMPORT:
        listed, named, complete = _members_by_email(client, emails, set(found.values()))
        for user in named.values():
            if member_of(user, team_id):
                remember_profile(session, team_id, user, now)  # no users.info for them later
    for ref in sorted(refs - found.keys(), key=lambda ref: ref.value):
        user: dict | str
        if ref.value in listed:
            user = listed[ref.value]
        elif complete:
            user = f"nobody in this workspace has the email {ref.value}"
        else:
            user = lookup_email(client, ref.value)
        if isinstance(user, dict) and not member_of(user, team_id):
            user = f"nobody in this workspace has the email {ref.value}"
        if isinstance(user, str):
            found[ref] = "!" + user
        else:
            remember_profile(session, team_id, user, now)  # no second users.info call
            found[ref] = user["id"]
    return found
