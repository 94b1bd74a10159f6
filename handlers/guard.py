"""The one admin guard of the listeners: every admin command, button and modal asks it first,
before anything is read, and hands the use case the admin it found."""

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from bot.core.results import FieldErrors, Refused, Result
from bot.programme.access import require_programme_admin
from handlers.render import Asked, UseCase

# A use case for admins only: (asked, session, the admin asking).
AdminUseCase = Callable[[Asked, Session, Any], Result]


def admin_asking(asked: Asked, session: Session) -> Any:
    """The programme admin who asked (a Person), or a kind refusal for everyone else."""
    ctx = asked.ctx
    return require_programme_admin(
        session, asked.client, ctx.settings, asked.team_id, asked.user_id, ctx.clock.now()
    )


def admin_only(use: AdminUseCase, *, field: str | None = None) -> UseCase:
    """`use` behind the admin guard; a refusal shows as an error on `field` in a modal."""

    def as_admin(asked: Asked, session: Session) -> Result:
        admin = admin_asking(asked, session)
        if isinstance(admin, Refused):
            return FieldErrors({field: admin.message}) if field else admin
        return use(asked, session, admin)

    as_admin.__name__ = use.__name__
    return as_admin
