"""Where OAuth installs are kept, and what Tandem accepts of Enterprise Grid.

Tandem's programme, people and pairs belong to one workspace (a team id). In an Enterprise
Grid organisation it is installed workspace by workspace: such an install names both the
organisation and the workspace, and is a workspace like any other. An organisation-wide
install names no workspace (Slack sends some of its events with no team at all), so there is
no programme it could belong to: the OAuth callback refuses it with a page saying what to do
instead, and stores nothing. Requests from an organisation without a stored install then meet
Bolt's "not installed" answer, in Tandem's words (NOT_INSTALLED).
"""

import html
import logging
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.error import BoltError
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from sqlalchemy import and_, desc, select

from bot.core.context import Tandem
from bot.core.installation import workspace_installed
from storage.db import reading

log = logging.getLogger(__name__)

ORG_WIDE_REFUSED = (
    "Tandem runs one mentoring programme per workspace, so it can't be installed for a whole "
    "Enterprise Grid organisation. Please install it in each workspace that runs a programme "
    "(choose the workspace, not the organisation, on Slack's install page)."
)


# Bolt's answer to a command or click from a workspace with no install of Tandem (instead of
# its own "your installation is no longer available, please reinstall").
NOT_INSTALLED = (
    "Tandem isn't installed in this workspace. Ask a Slack admin to install it here: it is "
    "installed one workspace at a time, not for a whole Enterprise Grid organisation."
)


class OrgWideInstall(BoltError):
    """An organisation-wide Enterprise Grid install, which Tandem does not take."""


def oauth_stores(ctx: Tandem) -> tuple[Any, Any]:
    """slack_sdk's SQL installation and OAuth-state stores on our engine (tables made if missing).

    Those tables belong to slack_sdk (their own schema and naive datetimes), so they are created
    by the library rather than by our migrations.
    """
    # Imported here: slack_sdk's SQL stores pull in SQLAlchemy's asyncio (greenlet).
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    class InstallationStore(SQLAlchemyInstallationStore):
        """Saving an installation (a new install or a reinstall) resumes that workspace; an
        organisation-wide one is refused before anything is stored."""

        def save(self, installation: Any) -> None:
            if installation.is_enterprise_install or not installation.team_id:
                log.warning("refused an organisation-wide install")
                raise OrgWideInstall("organisation-wide installs are not supported")
            super().save(installation)
            workspace_installed(ctx, installation.team_id)

        def bot_token_of(self, team_id: str) -> str | None:
            """The latest bot token of workspace `team_id`, inside a Grid organisation or not
            (find_bot wants the organisation too, which the scheduler does not know)."""
            c = self.bots.c
            query = (
                select(c.bot_token)
                .where(
                    and_(
                        c.client_id == self.client_id,
                        c.team_id == team_id,
                        c.bot_token.is_not(None),
                    )
                )
                .order_by(desc(c.installed_at))
                .limit(1)
            )
            # Asked inside the tick's or a listener's transaction: a read that never waits for
            # SQLite's write lock, which this very thread may hold.
            with reading(self.engine) as connection:
                return connection.execute(query).scalar()

    installation_store = InstallationStore(
        client_id=ctx.settings.slack_client_id, engine=ctx.engine, logger=log
    )
    state_store = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=ctx.engine, logger=log)
    installation_store.metadata.create_all(ctx.engine)
    state_store.metadata.create_all(ctx.engine)
    return installation_store, state_store


def _succeeded(args: SuccessArgs) -> BoltResponse:
    return args.default.success(args)


def _failed(args: FailureArgs) -> BoltResponse:
    """Bolt's own failure page, but for an organisation-wide install: what to do instead."""
    if not isinstance(args.error, OrgWideInstall):
        return args.default.failure(args)
    body = (
        '<html><head><meta charset="utf-8"><title>Install Tandem in a workspace</title></head>'
        f"<body><h2>Install Tandem in a workspace</h2><p>{html.escape(ORG_WIDE_REFUSED)}</p>"
        "</body></html>"
    )
    return BoltResponse(status=400, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


CALLBACK_OPTIONS = CallbackOptions(success=_succeeded, failure=_failed)
