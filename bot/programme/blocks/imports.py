"""How an import's report reads: in the terminal, and in the import modal."""

from typing import Any

from bot.core.kit import context, modal, notice_modal, section
from bot.programme.roster_rules import HEADER_EXAMPLE, MAX_LINES
from bot.programme.service.imports import ImportReport

IMPORT_CALLBACK = "programme.import"
PASTE_LIMIT = 3000  # Slack's most for a plain-text input
SHOWN_LINES = 40  # report lines shown in a modal section (the rest are counted)


def report_text(report: ImportReport, sent: int | None = None) -> str:
    """The report for the terminal: a summary, then each line taken or refused."""
    out = [report.summary()]
    for cohort in report.cohorts_created:
        out.append(
            f"New cohort “{cohort.name}”: {cohort.starts_on:%Y-%m-%d} to {cohort.ends_on:%Y-%m-%d}"
            " (change its dates with /tandem admin cohorts)."
        )
    for line in report.proposed:
        cohort = f" [{line.cohort}]" if line.cohort else ""
        out.append(
            f"line {line.number}: proposed {line.mentor_user_id} → {line.mentee_user_id}{cohort}"
        )
    for problem in report.refused:
        out.append(f"line {problem.number}: refused: {problem.reason}")
    if sent is not None:
        out.append(f"Sent {sent} invitation(s); any others are queued and go out with the bot.")
    return "\n".join(out)


def _cohort_options(cohorts: list[tuple[int, str]]) -> list[dict[str, Any]]:
    return [
        {"text": {"type": "plain_text", "text": name[:75]}, "value": str(cohort_id)}
        for cohort_id, name in cohorts[:100]
    ]


def import_modal(cohorts: list[tuple[int, str]]) -> dict[str, Any]:
    """Paste `mentor,mentee[,cohort]` lines; optionally put them all in one cohort."""
    blocks: list[dict[str, Any]] = [
        section(
            "One pair a line: `mentor,mentee` and an optional cohort. A person is an "
            "@mention, a Slack member id or an email. Both people are asked to accept, as "
            f"with `/tandem pair`. The header `{HEADER_EXAMPLE}` is optional here."
        ),
        {
            "type": "input",
            "block_id": "lines",
            "label": {"type": "plain_text", "text": "Pairs"},
            "element": {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": True,
                "max_length": PASTE_LIMIT,
                "placeholder": {
                    "type": "plain_text",
                    "text": "maya@example.com,noah@example.com,Spring 2027",
                },
            },
        },
    ]
    if cohorts:
        blocks.append(
            {
                "type": "input",
                "block_id": "cohort",
                "optional": True,
                "label": {"type": "plain_text", "text": "Cohort for lines without one"},
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "options": _cohort_options(cohorts),
                },
            }
        )
    blocks.append(
        context(
            f"Longer lists (up to {MAX_LINES:,} pairs): `tandem import pairs FILE.csv` on the "
            "server."
        )
    )
    return modal("Import pairs", blocks, callback_id=IMPORT_CALLBACK, submit="Check and propose")


def working_modal() -> dict[str, Any]:
    """Shown while the lines are checked and proposed."""
    return notice_modal("Checking every line and looking people up in Slack…", "Import pairs")


def report_modal(report: ImportReport) -> dict[str, Any]:
    """The import's report, in the modal the admin pasted into."""
    numbered = [
        (
            line.number,
            f"✅ line {line.number}: <@{line.mentor_user_id}> → <@{line.mentee_user_id}>"
            + (f" ({line.cohort})" if line.cohort else ""),
        )
        for line in report.proposed
    ] + [
        (problem.number, f"⚠️ line {problem.number}: {problem.reason}") for problem in report.refused
    ]
    lines = [text for _, text in sorted(numbered)]
    shown, hidden = lines[:SHOWN_LINES], len(lines) - SHOWN_LINES
    blocks = [section(f"*{report.summary()}*")]
    for cohort in report.cohorts_created:
        blocks.append(
            context(
                f"New cohort “{cohort.name}”, {cohort.starts_on:%-d %b %Y} to "
                f"{cohort.ends_on:%-d %b %Y}: change its dates with `/tandem admin cohorts`."
            )
        )
    blocks.append(section("\n".join(shown) or "No lines."))
    if hidden > 0:
        blocks.append(context(f"…and {hidden} more lines."))
    if report.proposed:
        blocks.append(context("Both people of each new pair are asked to accept by DM."))
    return modal("Import pairs", blocks, close="Done")
