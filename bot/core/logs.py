"""Logging: LOG_LEVEL, LOG_FORMAT (text or json), quiet libraries, and no secret ever printed.

Log calls name what they are about with `extra=`: `team`, `pair`, `kind`, `key`; JSON lines
carry those fields, text lines show them after the message.
"""

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

FIELDS = ("team", "pair", "kind", "key")
FORMATS = ("text", "json")
# Libraries that say something every minute (APScheduler's "Running job ..." pairs) or on every
# start (Alembic's "Context impl ..."): heard only when something is wrong, unless DEBUG.
CHATTY = ("apscheduler", "alembic", "waitress.queue")
# Libraries whose DEBUG lines carry whole payloads: every message, modal and command answer,
# with people's private notes, feedback and review answers in them. Their DEBUG lines are
# dropped even at LOG_LEVEL=DEBUG, so a log never holds what only a pair (or one person) may
# read. (Filtered at the handler: Bolt copies the root's level into its loggers as it builds.)
PAYLOADS = ("slack_sdk", "slack_bolt")
# Anything shaped like a Slack token, even one we were not told about.
TOKEN_SHAPE = re.compile(r"\b(xox[abeprs]|xapp)-[A-Za-z0-9-]{6,}")
REDACTED = "[redacted]"


def fields_of(**values: object) -> dict[str, object]:
    """`extra=` for a log call: the fields that apply (None values are left out)."""
    return {name: value for name, value in values.items() if value is not None}


class RedactSecrets(logging.Filter):
    """Replaces known secret values, and anything shaped like a Slack token, in every record."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = self.redact(message), None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


class HidePayloads(logging.Filter):
    """Drops the DEBUG lines of the PAYLOADS libraries: they print what people wrote."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.INFO:
            return True
        return not any(record.name == n or record.name.startswith(n + ".") for n in PAYLOADS)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the FIELDS that apply, error."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info or record.exc_text:
            line["error"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message [team=… pair=…]`."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extra = " ".join(f"{n}={getattr(record, n)}" for n in FIELDS if hasattr(record, n))
        if not extra:
            return text
        first, newline, rest = text.partition("\n")
        return f"{first} [{extra}]{newline}{rest}"


def configure_logging(
    level: str = "INFO", fmt: str = "text", secrets: Iterable[str | None] = ()
) -> None:
    """Send every log record to stderr in `fmt`, at `level`, with `secrets` redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(HidePayloads())
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
