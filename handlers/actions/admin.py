"""Buttons in the admin menu: settings, export, delete a person's data."""

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.admin import service
from bot.admin.access import require_admin
from bot.admin.blocks import erase_modal, settings_modal
from bot.admin.workspace_settings import current_settings
from bot.core.context import Tandem
from bot.core.results import Refused
from handlers.modals import open_modal
from handlers.private_reply import tell
from handlers.safety import guarded


def register(app: App, ctx: Tandem) -> None:
    """Register the admin menu's buttons (in `/tandem admin` and on the Home tab)."""

    def refusal(body: dict, client: WebClient) -> Refused | None:
        with ctx.session() as session:
            return require_admin(
                session,
                client,
                ctx.settings,
                body["user"]["team_id"],
                body["user"]["id"],
                ctx.clock.now(),
            )

    def open_settings(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        if (refused := refusal(body, client)) is not None:
            tell(body, client, respond, refused.message)
            return
        with ctx.session() as session:
            view = settings_modal(current_settings(session, body["user"]["team_id"]))
        open_modal(client, body.get("trigger_id"), view)

    def open_erase(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        if (refused := refusal(body, client)) is not None:
            tell(body, client, respond, refused.message)
            return
        open_modal(client, body.get("trigger_id"), erase_modal())

    def export(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        if (refused := refusal(body, client)) is not None:
            tell(body, client, respond, refused.message)
            return
        team_id, user_id = body["user"]["team_id"], body["user"]["id"]
        with ctx.session() as session:
            content, count = service.export_csv(session, team_id)
        try:
            channel = client.conversations_open(users=user_id)["channel"]["id"]
            client.files_upload_v2(
                channel=channel,
                content=content,
                title="Tandem programme export",
                filename=f"tandem-export-{ctx.clock.now().date().isoformat()}.csv",
                initial_comment=f"Here is the programme export: {count} pair(s), no private notes.",
            )
        except SlackApiError as error:
            tell(
                body,
                client,
                respond,
                "I couldn't send the export file "
                f"(Slack said `{error.response.get('error')}`). Please try again.",
            )
            return
        if body.get("response_url"):  # from the Home tab, the file in the DM says it all
            tell(body, client, respond, f"Sent you the export ({count} pairs) in a DM.")

    app.action("admin.open_settings")(guarded(open_settings))
    app.action("admin.open_erase")(guarded(open_erase))
    app.action("admin.export")(guarded(export))
