"""Checking Slack credentials before `tandem serve` says it is ready.

Slack's refusals become one paragraph naming the setting, what is wrong and where the right
value lives (a SettingsError, which the CLI prints and exits 2 on), never a traceback.
"""

import logging
from dataclasses import dataclass
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.core.config import SETUP_HINT, Settings, SettingsError

CHECK_TIMEOUT_SECONDS = 10

BOT_TOKEN_PAGE = (
    "Copy the “Bot User OAuth Token” (xoxb-…) from your app's “OAuth & Permissions” page "
    "(api.slack.com/apps → your app) into .env."
)
APP_TOKEN_PAGE = (
    "Create or copy an app-level token (xapp-…) with the connections:write scope on your app's "
    "“Basic Information” page → App-Level Tokens, and put it in .env."
)
# Slack's error codes for a token that once worked and no longer does.
REVOKED = {"token_revoked", "account_inactive", "token_expired", "app_uninstalled"}
UNKNOWN = {"invalid_auth", "not_authed"}


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot token belongs to, as auth.test answered."""

    team_id: str
    team: str
    bot_user_id: str


# slack_sdk logs each failed attempt itself; here the failure is told once, as a paragraph.
_quiet = logging.getLogger(__name__ + ".web")
_quiet.setLevel(logging.CRITICAL)


def _client(settings: Settings, token: str | None) -> WebClient:
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=CHECK_TIMEOUT_SECONDS,
        retry_handlers=[],
        logger=_quiet,
    )


def _refused(name: str, code: str, page: str) -> SettingsError:
    if code in REVOKED:
        what = (
            "it was revoked: the app was uninstalled from the workspace or the token was "
            "regenerated. Reinstall the app if needed, then"
        )
        page = page[0].lower() + page[1:]
    elif code in UNKNOWN:
        what = "Slack does not know this token (a typo, or a token of another app)."
    elif code == "not_allowed_token_type":
        what = "it is the wrong kind of token for this setting."
    elif code == "missing_scope":
        what = "the token lacks the scope this needs (connections:write)."
    else:
        what = "Slack did not accept it."
    return SettingsError(f"Tandem cannot start: Slack refused {name} ({code}): {what} {page}")


def _unreachable(settings: Settings, name: str, reason: object) -> SettingsError:
    return SettingsError(
        f"Tandem cannot start: it could not reach Slack's Web API at {settings.slack_api_url} "
        f"to check {name} ({reason}). Check the network, and SLACK_API_URL in .env (leave it "
        f"empty for Slack itself). {SETUP_HINT}"
    )


def _slack_trouble(settings: Settings, name: str, error: SlackApiError) -> SettingsError:
    status = error.response.status_code
    return SettingsError(
        f"Tandem cannot start: Slack's Web API at {settings.slack_api_url} answered HTTP {status} "
        f"while checking {name}, so it could not be checked. If SLACK_API_URL is right, Slack "
        "may be having trouble: try again in a minute."
    )


def _error_code(error: SlackApiError) -> str:
    data = error.response.data if isinstance(error.response.data, dict) else {}
    return str(data.get("error") or "")


def check_bot_token(settings: Settings) -> BotIdentity:
    """auth.test with SLACK_BOT_TOKEN; raises SettingsError saying what is wrong."""
    name = "SLACK_BOT_TOKEN"
    try:
        answer = _client(settings, settings.slack_bot_token).auth_test()
    except SlackApiError as error:
        code = _error_code(error)
        if not code:
            raise _slack_trouble(settings, name, error) from None
        raise _refused(name, code, BOT_TOKEN_PAGE) from None
    except (URLError, OSError, SlackRequestError) as error:
        raise _unreachable(settings, name, getattr(error, "reason", error)) from None
    if not answer.get("bot_id"):
        raise _refused(name, "not_allowed_token_type", BOT_TOKEN_PAGE)
    return BotIdentity(
        team_id=str(answer.get("team_id", "")),
        team=str(answer.get("team", "")),
        bot_user_id=str(answer.get("user_id", "")),
    )


def check_app_token(settings: Settings) -> None:
    """apps.connections.open with SLACK_APP_TOKEN (the URL it hands out is left unused)."""
    name = "SLACK_APP_TOKEN"
    try:
        _client(settings, None).apps_connections_open(app_token=settings.slack_app_token or "")
    except SlackApiError as error:
        code = _error_code(error)
        if not code:
            raise _slack_trouble(settings, name, error) from None
        raise _refused(name, code, APP_TOKEN_PAGE) from None
    except (URLError, OSError, SlackRequestError) as error:
        raise _unreachable(settings, name, getattr(error, "reason", error)) from None
