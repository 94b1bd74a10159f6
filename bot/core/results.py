"""Errors a user can cause travel as values, so handlers can always answer kindly."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Refused:
    """A request Tandem will not carry out; `message` is shown to the person as is."""

    message: str


@dataclass(frozen=True)
class FieldErrors:
    """Modal input that needs fixing: block_id → friendly message, for `response_action: errors`."""

    errors: dict[str, str]
