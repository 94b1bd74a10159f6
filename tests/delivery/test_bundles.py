"""Tandem's routine nudges due together for one person arrive as one message, a section each."""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import select

from bot.core.context import Tandem
from bot.delivery.sender import deliver_due
from devkit.emulator import SlackEmulator
from storage.models import DailyDmCount, OutboxStatus
from tests.delivery.helpers import queue, row
from tests.support.harness import MENTOR

NIGHT = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)  # 23:00 in Berlin: held until 08:00
MORNING = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


def nudge_blocks(text: str, action_id: str) -> list[dict[str, Any]]:
    button = {"type": "button", "action_id": action_id, "value": "1", "style": "primary"}
    button["text"] = {"type": "plain_text", "text": "Go"}
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "actions", "elements": [button]},
    ]


def test_the_same_mornings_nudges_come_as_one_message_with_a_section_and_button_each(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    for kind, action in (
        ("reflection.review", "reflection.review.open"),
        ("reflection.giveback", "reflection.share.open"),
        ("reflection.prompt", "reflection.feedback.open"),
    ):
        queue(
            ctx,
            f"test:{kind}",
            MENTOR,
            NIGHT,
            kind=kind,
            recipient_user_id=MENTOR,
            text=f"About {kind}",
            blocks=nudge_blocks(f"All about {kind}", action),
        )
    queue(
        ctx,
        "test:reminder",
        MENTOR,
        NIGHT,
        kind="meeting.reminder",
        recipient_user_id=MENTOR,
        text="Your meeting",
    )
    assert deliver_due(ctx, NIGHT).held == 4
    report = deliver_due(ctx, MORNING)
    assert (report.sent, report.bundled) == (2, 2)
    messages = emulator.messages(emulator.dm_channel(MENTOR))
    [together] = [m for m in messages if "reflection.review" in str(m["blocks"])]
    shown = str(together["blocks"])
    for kind in ("reflection.review", "reflection.giveback", "reflection.prompt"):
        assert f"All about {kind}" in shown
    for action in ("reflection.review.open", "reflection.share.open", "reflection.feedback.open"):
        assert action in shown
    assert any(m["text"] == "Your meeting" for m in messages)  # time-critical: on its own
    carrier = next(
        row(ctx, f"test:{k}")
        for k in ("reflection.review", "reflection.giveback", "reflection.prompt")
        if row(ctx, f"test:{k}").status == OutboxStatus.SENT
    )
    riders = [
        row(ctx, f"test:{k}")
        for k in ("reflection.review", "reflection.giveback", "reflection.prompt")
        if row(ctx, f"test:{k}").key != carrier.key
    ]
    assert all(r.status == OutboxStatus.FOLDED and r.folded_into == carrier.key for r in riders)
    assert all(r.sent_ts == together["ts"] for r in riders)
    with ctx.session() as session:
        assert session.exec(select(DailyDmCount.sent)).one() == 1  # one DM, counted once


def test_relays_of_what_someone_did_stay_messages_of_their_own(
    ctx: Tandem, emulator: SlackEmulator
) -> None:
    for n in range(2):
        queue(
            ctx,
            f"test:share:{n}",
            MENTOR,
            MORNING,
            kind="reflection.share",
            recipient_user_id=MENTOR,
            text=f"share {n}",
        )
    assert deliver_due(ctx, MORNING).sent == 2
