"""Short journeys through Tandem over signed HTTP, for tests about something else."""

from typing import Any

from bot.goals import form_rules as forms
from tests.support.harness import MENTEE, Harness


def open_modal(tandem: Harness, user: str, text: str) -> dict[str, Any]:
    """Run `/tandem <text>` and return the modal it opens."""
    opened = len(tandem.emulator.calls("views.open"))
    response = tandem.slack.command(user, text)
    assert response.ok and not response.body.strip(), response.body
    tandem.emulator.wait_for("views.open", count=opened + 1)
    view = tandem.emulator.open_view(user)
    assert view is not None
    return view


def create_goal(tandem: Harness, user: str = MENTEE, title: str = "Lead the Q3 launch") -> None:
    """Set a goal through the modal (owned by `user`)."""
    view = open_modal(tandem, user, "goal")
    values = {forms.TITLE: title, forms.OWNER: forms.OWNER_ME}
    response = tandem.slack.submit_view(user, view, values)
    assert response.ok and response.problems == [] and not response.body.strip(), response.body


def progress_values(happened: str = "Drafted the doc") -> dict[str, str]:
    """What someone types into the progress update modal."""
    return {forms.PERCENT: "40", forms.HAPPENED: happened}
