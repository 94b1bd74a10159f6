"""How many Slack calls an import's lookups take, over signed HTTP through the import modal:
a few emails are looked up one call each; a 300-line file of emails pages the member list
(`users.list`) a handful of times instead of 600 `users.lookupByEmail` calls, at Slack's own
rate limits, and asks Slack nothing more about those people when Send proposes them."""

from bot.programme.blocks.imports import SEND_ACTION
from devkit.emulator.ratelimit import TIER_2, TIER_3, TIER_4, Budget, RateLimits
from tests.programme.helpers import command_modal, text_of
from tests.reflection.helpers import wait_dm
from tests.support.harness import ADMIN, Harness

PAIRS = 300
LOOKUPS = ("users.list", "users.lookupByEmail", "users.info")
# Slack's tiers for the lookups only (everything else unthrottled): what launch day meets.
SLACK_PACE = RateLimits(
    workspace={
        "users.list": Budget(TIER_2, 5),
        "users.lookupByEmail": Budget(TIER_3, 10),
        "users.info": Budget(TIER_4, 20),
    }
)


def calls(tandem: Harness) -> dict[str, int]:
    return {method: len(tandem.emulator.calls(method)) for method in LOOKUPS}


def made_since(tandem: Harness, before: dict[str, int]) -> dict[str, int]:
    return {method: count - before[method] for method, count in calls(tandem).items()}


def refused(tandem: Harness) -> int:
    return sum(1 for call in tandem.emulator.calls() if call.response.get("error") == "ratelimited")


def test_a_300_line_file_of_emails_pages_the_member_list_instead(tandem: Harness) -> None:
    lines = ["mentor,mentee,cohort"]
    for n in range(PAIRS):
        tandem.emulator.add_user(f"UMR{n:04d}", f"mentor{n}", email=f"Mentor{n}@Example.org")
        tandem.emulator.add_user(f"UME{n:04d}", f"mentee{n}", email=f"mentee{n}@example.org")
        lines.append(f"mentor{n}@example.org,mentee{n}@example.org,Spring")
    lines.append("mentor0@example.org,nobody@example.org,Spring")
    picked = tandem.emulator.add_shared_file(ADMIN, "pairs.csv", "\n".join(lines).encode())
    modal = command_modal(tandem, ADMIN, "admin import")
    tandem.emulator.set_rate_limits(SLACK_PACE)
    before = calls(tandem)
    response = tandem.slack.submit_view(ADMIN, modal, {("file", "value"): [picked]})
    assert response.ok and response.json["response_action"] == "update", response.body

    preview = text_of(wait_dm(tandem, ADMIN, "Import preview", timeout=60))
    assert "300 pairs valid, ready to propose, 1 line refused" in preview
    assert "line 302: nobody in this workspace has the email nobody@example.org" in preview
    made = made_since(tandem, before)
    # 607 members at 200 a page: 4 pages, read once; nobody looked up one by one, and the
    # people found are remembered, so no users.info for any of them either.
    assert made == {"users.list": 4, "users.lookupByEmail": 0, "users.info": 0}, made
    assert refused(tandem) == 0

    message = next(
        m for m in tandem.emulator.messages(ADMIN) if "Import preview" in (m.get("text") or "")
    )
    tandem.stop_delivery()  # Send's own calls are counted; sending 600 at Slack's pace is not
    tandem.slack.click_button_in(message, ADMIN, action_id=SEND_ACTION)
    tandem.emulator.wait_for("chat.update")
    assert made_since(tandem, before) == made  # Send asks Slack about no one again


def test_a_few_emails_are_looked_up_one_call_each(tandem: Harness) -> None:
    for n in range(5):
        tandem.emulator.add_user(f"USM{n:04d}", f"small{n}", email=f"small{n}@example.org")
    pasted = "\n".join(f"small{n}@example.org,small{n + 1}@example.org" for n in range(0, 4, 2))
    modal = command_modal(tandem, ADMIN, "admin import")
    tandem.emulator.set_rate_limits(SLACK_PACE)
    before = calls(tandem)
    response = tandem.slack.submit_view(ADMIN, modal, {("lines", "value"): pasted})
    assert response.ok, response.body
    preview = text_of(wait_dm(tandem, ADMIN, "Import preview"))
    assert "2 pairs valid" in preview
    made = made_since(tandem, before)
    assert made == {"users.list": 0, "users.lookupByEmail": 4, "users.info": 0}, made
