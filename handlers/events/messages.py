"""`message.im`: a person writes in Tandem's Messages tab and gets a short answer, not silence."""

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.greeting import GREETING, first_today, is_person_writing_to_the_bot


def register(app: App, ctx: Tandem) -> None:
    """Register the direct-message listener."""

    def answer_direct_message(event: dict, context: BoltContext, client: WebClient) -> None:
        if not is_person_writing_to_the_bot(event, context.bot_user_id):
            return
        team_id, channel = context.team_id or "", event["channel"]
        with ctx.session() as session:
            first = first_today(
                session, team_id, channel, ctx.clock.now(), ctx.settings.default_timezone
            )
        if first:
            client.chat_postMessage(channel=channel, text=GREETING)

    app.event("message")(answer_direct_message)
