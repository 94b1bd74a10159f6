"""Buttons in the admin menu: settings, export, delete a person's data."""

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.admin import service
from bot.core.context import Tandem
from bot.core.results import Refused
from handlers.render import Asked, render, tell
from handlers.safety import guarded


def register(app: App, ctx: Tandem) -> None:
    """Register the admin menu's buttons (in `/tandem admin` and on the Home tab)."""

    def asked(ack: Ack, body: dict, client: WebClient, respond: Respond) -> Asked:
        return Asked(ctx, body, ack, client, respond, by_dm=True)

    def open_settings(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = body["user"]["team_id"], body["user"]["id"]
        with ctx.session() as session:
            result = service.open_settings(ctx, session, client, team_id, user_id)
        render(asked(ack, body, client, respond), result)

    def open_erase(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = body["user"]["team_id"], body["user"]["id"]
        with ctx.session() as session:
            result = service.open_erase(ctx, session, client, team_id, user_id)
        render(asked(ack, body, client, respond), result)

    def export(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = body["user"]["team_id"], body["user"]["id"]
        with ctx.session() as session:
            exported = service.export_for_admin(ctx, session, client, team_id, user_id)
        if isinstance(exported, Refused):
            render(asked(ack, body, client, respond), exported)
            return
        content, count = exported
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
                asked(ack, body, client, respond),
                "I couldn't send the export file "
                f"(Slack said `{error.response.get('error')}`). Please try again.",
            )
            return
        if body.get("response_url"):  # from the Home tab, the file in the DM says it all
            tell(asked(ack, body, client, respond), f"Sent you the export ({count} pairs) in a DM.")

    app.action("admin.open_settings")(guarded(open_settings))
    app.action("admin.open_erase")(guarded(open_erase))
    app.action("admin.export")(guarded(export))
