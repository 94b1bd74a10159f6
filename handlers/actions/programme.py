"""Buttons of the programme: matching rounds, the pairs at risk, cohorts, closing invitations.

Every admin button checks the clicker first and answers anyone else with a friendly refusal;
a value that names nothing (crafted, or from an old message) gets a kind "couldn't find it".
"""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.core.context import Tandem
from bot.core.ids import parse_id
from bot.core.kit import notice_modal
from bot.core.membership import guard
from bot.core.results import Refused, Reply, Result
from bot.programme.access import require_programme_admin
from bot.programme.blocks import closing, cohorts, rounds, watch
from bot.programme.service import rounds as round_service
from bot.programme.service import watch as watch_service
from bot.reflection.service import opening as forms
from bot.surfaces.home_tab import home_view
from handlers.render import Asked, render
from handlers.safety import guarded
from storage.models import Cohort, Person

Action = Callable[..., None]


def _who(body: dict[str, Any]) -> tuple[str, str]:
    return (body.get("team") or {}).get("id", "") or (body.get("user") or {}).get("team_id", ""), (
        body.get("user") or {}
    ).get("id", "")


def _tell(body: dict[str, Any], client: WebClient, respond: Respond, text: str) -> None:
    """Say something privately where the click happened: the message, or a modal (Home)."""
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)
    elif body.get("trigger_id"):
        client.views_open(trigger_id=body["trigger_id"], view=notice_modal(text))


def _page_value(value: str | None) -> tuple[int, int | None]:
    page, _, scope = (value or "").partition(":")
    return parse_id(page) or 0, parse_id(scope)


def register(app: App, ctx: Tandem) -> None:
    """Register the programme's buttons."""

    def admin_only(listener: Callable[[Person, dict, dict, WebClient, Respond], None]) -> Action:
        def handle(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
            ack()
            team_id, user_id = _who(body)
            with ctx.session() as session:
                admin = require_programme_admin(
                    session, client, ctx.settings, team_id, user_id, ctx.clock.now()
                )
                if not isinstance(admin, Refused):
                    session.expunge(admin)
            if isinstance(admin, Refused):
                _tell(body, client, respond, admin.message)
                return
            listener(admin, body, action, client, respond)

        handle.__name__ = listener.__name__
        return guarded(handle)

    def show_round(body: dict, respond: Respond, client: WebClient, view: Any, page: int) -> None:
        if isinstance(view, Refused):
            _tell(body, client, respond, view.message)
            return
        message = rounds.round_message(view, page)
        respond(replace_original=True, **message)

    def drop(admin: Person, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        with ctx.session() as session:
            view = round_service.toggle_drop(session, admin.team_id, parse_id(action.get("value")))
            show_round(body, respond, client, view, 0)

    def send(admin: Person, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        with ctx.session() as session:
            view = round_service.send_round(
                session,
                client,
                admin,
                admin.team_id,
                parse_id(action.get("value")),
                ctx.clock.now(),
            )
            show_round(body, respond, client, view, 0)
        ctx.on_outbox_changed()

    def round_page(
        admin: Person, body: dict, action: dict, client: WebClient, respond: Respond
    ) -> None:
        round_id, _, page = (action.get("value") or "").partition(":")
        with ctx.session() as session:
            view = round_service.round_view(session, admin.team_id, parse_id(round_id))
            show_round(body, respond, client, view, parse_id(page) or 0)

    def refresh(
        admin: Person, body: dict, client: WebClient, respond: Respond, notice: str
    ) -> None:
        """Redraw where the admin clicked, saying what was done: the list, or their Home tab."""
        now = ctx.clock.now()
        if body.get("response_url"):
            with ctx.session() as session:
                items = watch_service.at_risk_pairs(session, admin.team_id, now)
                message = watch.at_risk_message(items, 0, now, notice=notice)
            respond(replace_original=True, **message)
            return
        if (body.get("view") or {}).get("type") == "home":
            view = home_view(ctx, client, admin.team_id, admin.user_id)
            client.views_publish(user_id=admin.user_id, view=view)
        _tell(body, client, respond, notice)

    def pair_action(
        run: Callable[..., watch_service.Done | Refused],
    ) -> Callable[[Person, dict, dict, WebClient, Respond], None]:
        def act(admin: Person, body: dict, action: dict, client: WebClient, respond: Respond):
            with ctx.session() as session:
                done = run(
                    session, admin, admin.team_id, parse_id(action.get("value")), ctx.clock.now()
                )
            if isinstance(done, Refused):
                _tell(body, client, respond, done.message)
                return
            ctx.on_outbox_changed()
            notice = (
                f"✅ {done.message} Recorded: <@{admin.user_id}>, "
                f"{done.action.created_at:%-d %b %Y %H:%M} UTC."
            )
            refresh(admin, body, client, respond, notice)

        act.__name__ = run.__name__
        return act

    def open_new_mentor(
        admin: Person, body: dict, action: dict, client: WebClient, respond: Respond
    ) -> None:
        pair_id = parse_id(action.get("value"))
        with ctx.session() as session:
            pair = watch_service.pair_of_team(session, admin.team_id, pair_id)
            mentee = session.get(Person, pair.mentee_id) if pair else None
            mentee_user_id = mentee.user_id if mentee else None
        if pair is None or mentee_user_id is None:
            _tell(body, client, respond, watch_service.NOT_FOUND)
            return
        client.views_open(
            trigger_id=body["trigger_id"], view=watch.new_mentor_modal(pair_id, mentee_user_id)
        )

    def pairs_page(
        admin: Person, body: dict, action: dict, client: WebClient, respond: Respond
    ) -> None:
        page, cohort_id = _page_value(action.get("value"))
        now = ctx.clock.now()
        with ctx.session() as session:
            items = watch_service.at_risk_pairs(session, admin.team_id, now, cohort_id)
            message = watch.at_risk_message(items, page, now, cohort_id)
        respond(replace_original=True, **message)

    def new_cohort(
        admin: Person, body: dict, action: dict, client: WebClient, respond: Respond
    ) -> None:
        client.views_open(trigger_id=body["trigger_id"], view=cohorts.cohort_modal())

    def edit_cohort(
        admin: Person, body: dict, action: dict, client: WebClient, respond: Respond
    ) -> None:
        with ctx.session() as session:
            cohort = session.get(Cohort, parse_id(action.get("value")) or 0)
            view = (
                cohorts.cohort_modal(cohort)
                if cohort is not None and cohort.team_id == admin.team_id
                else None
            )
        if view is None:
            _tell(body, client, respond, "I couldn't find that cohort; it may have been renamed.")
            return
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def closing_answer(kind: str) -> Action:
        def answer(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond):
            ack()
            team_id, user_id = _who(body)
            now = ctx.clock.now()
            with ctx.session() as session:
                membership = guard(session, team_id, user_id, parse_id(action.get("value")))
                if isinstance(membership, Refused):
                    result: Result = membership
                elif kind == "continue":
                    result = Reply(text=closing.continue_reply(membership.partner))
                else:
                    partner = f"<@{membership.partner.user_id}>"
                    result = (
                        forms.review_command(session, team_id, user_id, partner, now)
                        if kind == "review"
                        else forms.end_form(session, team_id, user_id, partner)
                    )
            render(Asked(ctx, body, ack, client, respond), result)

        answer.__name__ = f"closing_{kind}"
        return guarded(answer)

    app.action(rounds.DROP_ACTION)(admin_only(drop))
    app.action(rounds.SEND_ACTION)(admin_only(send))
    app.action(f"{rounds.PAGE_ACTION}.prev")(admin_only(round_page))
    app.action(f"{rounds.PAGE_ACTION}.next")(admin_only(round_page))
    app.action(watch.NUDGE_ACTION)(admin_only(pair_action(watch_service.nudge)))
    app.action(watch.PAUSE_ACTION)(admin_only(pair_action(watch_service.pause_pair)))
    app.action(watch.END_ACTION)(admin_only(pair_action(watch_service.end_by_admin)))
    app.action(watch.NEW_MENTOR_ACTION)(admin_only(open_new_mentor))
    app.action(f"{watch.PAGE_ACTION}.prev")(admin_only(pairs_page))
    app.action(f"{watch.PAGE_ACTION}.next")(admin_only(pairs_page))
    app.action(cohorts.NEW_COHORT_ACTION)(admin_only(new_cohort))
    app.action(cohorts.EDIT_COHORT_ACTION)(admin_only(edit_cohort))
    app.action(closing.REVIEW_ACTION)(closing_answer("review"))
    app.action(closing.GRADUATE_ACTION)(closing_answer("graduate"))
    app.action(closing.CONTINUE_ACTION)(closing_answer("continue"))
