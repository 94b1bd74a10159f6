"""How an import reads: the modal to bring pairs in, its preview (with Send and Cancel, in
the admin's DM), the report once sent, and both in the terminal."""

from typing import Any

from bot.core.kit import (
    actions,
    button,
    checked_message,
    context,
    header,
    modal,
    notice_modal,
    section,
)
from bot.programme.roster_rules import HEADER_EXAMPLE, MAX_LINES
from bot.programme.service.imports import ImportReport

IMPORT_CALLBACK = "programme.import"
SEND_ACTION = "programme.import.send"
CANCEL_ACTION = "programme.import.cancel"
PASTE_LIMIT = 3000  # Slack's most for a plain-text input
SHOWN_LINES = 40  # report lines shown in a modal section (the rest are counted)


def report_text(report: ImportReport, sent: int | None = None) -> str:
    """The report for the terminal: a summary, then each line taken or refused (for a
    preview: what would be, and that nothing was sent)."""
    out = [("Preview, nothing sent: " if report.preview else "") + report.summary()]
    if report.preview and report.proposed:
        out.append("By cohort: " + _by_cohort(report) + ".")
    would = "would be " if report.preview else ""
    for cohort in report.cohorts_created:
        out.append(
            f"New cohort “{cohort.name}” {would}created: {cohort.starts_on:%Y-%m-%d} to "
            f"{cohort.ends_on:%Y-%m-%d} (change its dates with /tandem admin cohorts)."
        )
    verb = "valid" if report.preview else "proposed"
    for line in report.proposed:
        cohort = f" [{line.cohort}]" if line.cohort else ""
        out.append(
            f"line {line.number}: {verb} {line.mentor_user_id} → {line.mentee_user_id}{cohort}"
        )
    for problem in report.refused:
        out.append(f"line {problem.number}: refused: {problem.reason}")
    if sent is not None:
        out.append(f"Sent {sent} invitation(s); any others are queued and go out with the bot.")
    return "\n".join(out)


def _by_cohort(report: ImportReport) -> str:
    return ", ".join(f"{name or 'no cohort'} {count}" for name, count in report.by_cohort())


def _cohort_options(cohorts: list[tuple[int, str]]) -> list[dict[str, Any]]:
    return [
        {"text": {"type": "plain_text", "text": name[:75]}, "value": str(cohort_id)}
        for cohort_id, name in cohorts[:100]
    ]


def import_modal(cohorts: list[tuple[int, str]]) -> dict[str, Any]:
    """A CSV file, or pasted `mentor,mentee[,cohort]` lines; optionally put them all in one
    cohort."""
    blocks: list[dict[str, Any]] = [
        section(
            "A CSV file or pasted lines, one pair a line: `mentor,mentee` and an optional "
            "cohort. A person is an "
            "@mention, a Slack member id or an email. Both people are asked to accept, as "
            f"with `/tandem pair`. The header `{HEADER_EXAMPLE}` is optional here."
        ),
        {
            "type": "input",
            "block_id": "file",
            "optional": True,
            "label": {"type": "plain_text", "text": "A CSV file"},
            "hint": {
                "type": "plain_text",
                "text": f"Up to {MAX_LINES:,} pairs, with a header line; commas or semicolons.",
            },
            "element": {
                "type": "file_input",
                "action_id": "value",
                "filetypes": ["csv", "txt"],
                "max_files": 1,
            },
        },
        {
            "type": "input",
            "block_id": "lines",
            "optional": True,
            "label": {"type": "plain_text", "text": "Or paste pairs"},
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
        context("From a terminal on the server: `tandem import pairs FILE.csv --dry-run`.")
    )
    return modal("Import pairs", blocks, callback_id=IMPORT_CALLBACK, submit="Check")


def checking_modal(lines: int) -> dict[str, Any]:
    """What the import modal turns into on submit: the preview comes by DM."""
    return notice_modal(
        f"Checking {lines:,} line{'s' if lines != 1 else ''} and looking people up in Slack. "
        "The preview comes to your DM with Tandem in a moment: nothing is sent until you "
        "press Send there.",
        "Import pairs",
        close="Done",
    )


def _report_blocks(report: ImportReport) -> list[dict[str, Any]]:
    """The summary, cohorts and every line: the refused ones first (what the admin must fix),
    then those taken; the first few dozen shown, the rest counted."""
    refused = [f"⚠️ line {problem.number}: {problem.reason}" for problem in report.refused]
    taken = [
        f"✅ line {line.number}: <@{line.mentor_user_id}> → <@{line.mentee_user_id}>"
        + (f" ({line.cohort})" if line.cohort else "")
        for line in sorted(report.proposed, key=lambda line: line.number)
    ]
    lines = refused + taken
    shown, hidden = lines[:SHOWN_LINES], len(lines) - SHOWN_LINES
    blocks = [section(f"*{report.summary()}*")]
    if report.preview and report.proposed:
        blocks.append(context("By cohort: " + _by_cohort(report)))
    would = "will be created" if report.preview else "created"
    for cohort in report.cohorts_created:
        blocks.append(
            context(
                f"New cohort “{cohort.name}” {would}, {cohort.starts_on:%-d %b %Y} to "
                f"{cohort.ends_on:%-d %b %Y}: change its dates with `/tandem admin cohorts`."
            )
        )
    blocks.append(section("\n".join(shown) or "No lines."))
    if hidden > 0:
        blocks.append(context(f"…and {hidden} more lines."))
    return blocks


def preview_message(import_id: int, report: ImportReport) -> dict[str, Any]:
    """The preview in the admin's DM: what Send would propose, what is refused, and why."""
    blocks = [header("Import pairs: preview"), *_report_blocks(report)]
    count = len(report.proposed)
    if count:
        blocks.append(context("Nothing is sent yet. Both people of each pair are asked to accept."))
        send = f"Send {count:,} proposal{'s' if count != 1 else ''}"
        blocks.append(
            actions(
                button(send, SEND_ACTION, str(import_id), style="primary"),
                button("Cancel", CANCEL_ACTION, str(import_id)),
            )
        )
    else:
        blocks.append(context("Nothing to send: fix the refused lines and import them again."))
    text = f"Import preview: {report.summary()}"
    return {"text": text, "blocks": checked_message(blocks)}


def sent_message(report: ImportReport) -> dict[str, Any]:
    """What the preview turns into once sent: the proposals made, line by line."""
    blocks = [header("Import pairs: sent"), *_report_blocks(report)]
    if report.proposed:
        blocks.append(context("Both people of each new pair are asked to accept by DM."))
    return {"text": report.summary(), "blocks": checked_message(blocks)}
