"""Settings, read once from the environment (and `.env`) and validated before anything starts."""

import os
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite:///tandem.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
SETUP_HINT = "See “Create the Slack app” in README.md, then put it in .env (copy .env.example)."
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")


# How often one client address may ask for what is not Slack's (bot/web_door.py): Prometheus
# scrapes every few seconds and calendar apps poll hourly, so this is far above both.
DEFAULT_CLIENT_REQUESTS_PER_SECOND = 20

# Every variable Tandem reads (also documented in .env.example).
SETTING_NAMES = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "DATABASE_URL",
    "SLACK_API_URL",
    "PORT",
    "TANDEM_ADMINS",
    "TANDEM_CELEBRATIONS_CHANNEL",
    "TZ",
    "TANDEM_AUTO_MIGRATE",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "METRICS_TOKEN",
    "TANDEM_PUBLIC_URL",
    "TANDEM_CLIENT_REQUESTS_PER_SECOND",
)


def drop_empty_settings(environ: MutableMapping[str, str]) -> list[str]:
    """Remove settings whose value is empty (`SLACK_CLIENT_ID=` in a `.env`); returns their names.

    An empty value means unset, for Tandem and for every library that reads the environment:
    slack_bolt counts an empty SLACK_CLIENT_ID as set and would switch to its file-based OAuth
    store, answering every command with "please reinstall".
    """
    names = set(SETTING_NAMES) | {name for name in environ if name.startswith("SLACK_")}
    empty = sorted(name for name in names if name in environ and not environ[name].strip())
    for name in empty:
        del environ[name]
    return empty


SIGNING_SECRET_WHERE = (
    "the Signing Secret on your Slack app's “Basic Information” page "
    "(api.slack.com/apps → your app → App Credentials)."
)
BOT_TOKEN_WHERE = (
    "the “Bot User OAuth Token” (starts with xoxb-) on your Slack app's "
    "“OAuth & Permissions” page, shown after installing the app."
)


class SettingsError(Exception):
    """A missing or malformed setting; the message is one paragraph meant for a person."""


@dataclass(frozen=True)
class Settings:
    """Everything Tandem reads from its environment."""

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    slack_api_url: str = DEFAULT_SLACK_API_URL
    admins: frozenset[str] = field(default_factory=frozenset)
    celebrations_channel: str | None = None
    port: int = 3000
    default_timezone: str = "UTC"
    auto_migrate: bool = True
    log_level: str = "INFO"
    log_format: str = "text"
    # When set, GET /metrics needs `Authorization: Bearer <this>`.
    metrics_token: str | None = None
    # The bot's public base URL (https://tandem.example.com), for calendar feed addresses.
    public_url: str | None = None
    # How often one client address may ask for what is not Slack's (bot.web_door).
    client_requests_per_second: int = DEFAULT_CLIENT_REQUESTS_PER_SECOND

    @property
    def secrets(self) -> tuple[str | None, ...]:
        """Values that must never appear in a log line."""
        return (
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.slack_client_secret,
            self.metrics_token,
        )

    @property
    def socket_mode(self) -> bool:
        """Socket Mode is used whenever an app-level token is configured."""
        return self.slack_app_token is not None

    @property
    def oauth(self) -> bool:
        """Multi-workspace installs use Bolt's OAuth flow when both client settings are set."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    def require_slack(self) -> None:
        """Stop unless the settings the mode in use needs are present, naming all that are not.

        Socket Mode (SLACK_APP_TOKEN set) needs no signing secret; HTTP mode does. A bot token is
        needed unless OAuth installs provide one per workspace.
        """
        missing = []
        if not self.socket_mode and not self.slack_signing_secret:
            missing.append(("SLACK_SIGNING_SECRET", SIGNING_SECRET_WHERE))
        if not self.oauth and not self.slack_bot_token:
            missing.append(("SLACK_BOT_TOKEN", BOT_TOKEN_WHERE))
        if not missing:
            return
        names = " and ".join(name for name, _ in missing)
        verb = "is" if len(missing) == 1 else "are"
        mode = (
            "Socket Mode, because SLACK_APP_TOKEN is set"
            if self.socket_mode
            else "HTTP mode; set SLACK_APP_TOKEN instead of the signing secret for Socket Mode"
        )
        where = " ".join(f"{name}: {text}" for name, text in missing)
        raise SettingsError(
            f"Tandem cannot start: {names} {verb} not set ({mode}). {where} {SETUP_HINT}"
        )

    def require_bot_token(self) -> None:
        """Stop unless a bot token is present (sending without a request needs one)."""
        if not self.slack_bot_token:
            raise SettingsError(
                _missing(
                    "SLACK_BOT_TOKEN",
                    "It is the “Bot User OAuth Token” (starts with xoxb-) on your Slack app's "
                    "“OAuth & Permissions” page.",
                )
            )


def timezone_problem(name: str) -> str | None:
    """Why `name` is not a timezone Tandem can use (the end of a sentence), or None if it is.

    ZoneInfo fails in more ways than ZoneInfoNotFoundError: a region such as "Europe" is a
    folder of the timezone database (IsADirectoryError), and a data file in it such as
    "zone.tab" is not a zone (ValueError).
    """
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, UnicodeError):
        pass
    else:
        return None
    region = name.strip("/")
    if region in _REGIONS:
        return (
            f"“{region}” is a region, not a timezone: it must be an IANA timezone name such as "
            f"{_REGIONS[region]} (the region, a slash, then a city)."
        )
    return "it must be an IANA timezone name such as Europe/Berlin or UTC."


# One zone in each of the timezone database's regions, to show the form a name takes.
_REGIONS = {
    "Africa": "Africa/Nairobi",
    "America": "America/New_York",
    "Antarctica": "Antarctica/Troll",
    "Arctic": "Arctic/Longyearbyen",
    "Asia": "Asia/Tokyo",
    "Atlantic": "Atlantic/Reykjavik",
    "Australia": "Australia/Sydney",
    "Brazil": "Brazil/East",
    "Canada": "Canada/Eastern",
    "Chile": "Chile/Continental",
    "Etc": "Etc/UTC",
    "Europe": "Europe/Berlin",
    "Indian": "Indian/Maldives",
    "Mexico": "Mexico/General",
    "Pacific": "Pacific/Auckland",
    "US": "US/Eastern",
}


def _missing(name: str, where: str) -> str:
    return f"Tandem cannot start: {name} is not set. {where} {SETUP_HINT}"


def _malformed(name: str, value: str, expected: str) -> str:
    shown = value if len(value) <= 40 else value[:37] + "..."
    return f"Tandem cannot start: {name} is set to “{shown}”, but {expected} {SETUP_HINT}"


def _require_http_url(name: str, value: str, expected: str) -> None:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(_malformed(name, value, expected))


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate settings from `env` (default: the process environment).

    Raises SettingsError naming the first variable that is malformed.
    """
    env = os.environ if env is None else env

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    bot_token = get("SLACK_BOT_TOKEN")
    if bot_token and not bot_token.startswith("xoxb-"):
        raise SettingsError(
            _malformed(
                "SLACK_BOT_TOKEN",
                bot_token,
                "a bot token starts with xoxb- (from “OAuth & Permissions”).",
            )
        )
    app_token = get("SLACK_APP_TOKEN")
    if app_token and not app_token.startswith("xapp-"):
        raise SettingsError(
            _malformed(
                "SLACK_APP_TOKEN",
                app_token,
                "an app-level token starts with xapp- (“Basic Information” → App-Level Tokens, "
                "with the connections:write scope). Leave it empty to use HTTP mode.",
            )
        )
    client_id, client_secret = get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET")
    if (client_id is None) != (client_secret is None):
        missing = "SLACK_CLIENT_SECRET" if client_secret is None else "SLACK_CLIENT_ID"
        raise SettingsError(
            _missing(
                missing,
                "OAuth (multi-workspace installs) needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
                "from your app's “Basic Information” page; set both, or neither for one workspace.",
            )
        )

    database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
    try:
        backend = make_url(database_url).get_backend_name()
    except ArgumentError:
        backend = None
    if backend not in ("sqlite", "postgresql", "postgres"):
        raise SettingsError(
            _malformed(
                "DATABASE_URL",
                database_url,
                "Tandem needs sqlite:///path/to/tandem.db or postgresql://user:pass@host/dbname.",
            )
        )

    api_url = get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    _require_http_url(
        "SLACK_API_URL", api_url, "it must be an http(s) URL such as https://slack.com/api/."
    )
    if not api_url.endswith("/"):
        api_url += "/"

    admins = frozenset(a.strip() for a in (get("TANDEM_ADMINS") or "").split(",") if a.strip())
    for admin in admins:
        if not USER_ID.match(admin):
            raise SettingsError(
                _malformed(
                    "TANDEM_ADMINS",
                    admin,
                    "it must be a comma-separated list of Slack user ids such as U012ABCDEF "
                    "(profile → ⋯ → Copy member ID).",
                )
            )

    channel = get("TANDEM_CELEBRATIONS_CHANNEL")
    if channel and not CHANNEL_ID.match(channel):
        raise SettingsError(
            _malformed(
                "TANDEM_CELEBRATIONS_CHANNEL",
                channel,
                "it must be a channel id such as C012ABCDEF (channel details → About, at the end).",
            )
        )

    port_text = get("PORT") or "3000"
    # ASCII digits only: "²" passes str.isdigit() but int() rejects it.
    if not re.fullmatch(r"[0-9]{1,5}", port_text) or not 0 < int(port_text) < 65536:
        raise SettingsError(_malformed("PORT", port_text, "it must be a port number (1–65535)."))

    tz_name = (get("TZ") or "UTC").lstrip(":")
    problem = timezone_problem(tz_name)
    if problem:
        raise SettingsError(_malformed("TZ", tz_name, problem))

    auto_migrate = (get("TANDEM_AUTO_MIGRATE") or "true").lower()
    if auto_migrate not in ("true", "false", "1", "0", "yes", "no"):
        raise SettingsError(_malformed("TANDEM_AUTO_MIGRATE", auto_migrate, "use true or false."))

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError(
            _malformed("LOG_LEVEL", log_level, "use DEBUG, INFO (the default), WARNING or ERROR.")
        )
    log_format = (get("LOG_FORMAT") or "text").lower()
    if log_format not in ("text", "json"):
        raise SettingsError(
            _malformed(
                "LOG_FORMAT", log_format, "use text (the default) or json (one object a line)."
            )
        )

    public_url = get("TANDEM_PUBLIC_URL")
    if public_url is not None:
        _require_http_url(
            "TANDEM_PUBLIC_URL",
            public_url,
            "it must be the https address Tandem is reached at, such as "
            "https://tandem.example.com.",
        )
        public_url = public_url.rstrip("/")

    client_rate = get("TANDEM_CLIENT_REQUESTS_PER_SECOND") or str(
        DEFAULT_CLIENT_REQUESTS_PER_SECOND
    )
    if not re.fullmatch(r"[0-9]{1,6}", client_rate) or not 0 < int(client_rate) <= 100_000:
        raise SettingsError(
            _malformed(
                "TANDEM_CLIENT_REQUESTS_PER_SECOND",
                client_rate,
                "it must be a whole number of requests a second, 1 to 100000 "
                f"({DEFAULT_CLIENT_REQUESTS_PER_SECOND} by default).",
            )
        )

    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=get("SLACK_SIGNING_SECRET"),
        slack_app_token=app_token,
        slack_client_id=client_id,
        slack_client_secret=client_secret,
        database_url=database_url,
        slack_api_url=api_url,
        admins=admins,
        celebrations_channel=channel,
        port=int(port_text),
        default_timezone=tz_name,
        auto_migrate=auto_migrate in ("true", "1", "yes"),
        log_level=log_level,
        log_format=log_format,
        metrics_token=get("METRICS_TOKEN"),
        public_url=public_url,
        client_requests_per_second=int(client_rate),
    )
