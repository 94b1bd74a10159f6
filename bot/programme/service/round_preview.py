"""`tandem match [--cohort C] --dry-run`: the round an admin would be shown, as text, with
nothing kept (the round is run in a transaction that is rolled back)."""

from bot.core.context import Tandem
from bot.core.results import Refused
from bot.programme.access import require_programme_admin
from bot.programme.blocks.round_modal import reasons
from bot.programme.blocks.unmatched import SHORT
from bot.programme.match_reasons_rules import Unmatched
from bot.programme.service.cohorts import find_cohort
from bot.programme.service.rounds import run_round
from storage.queries.rounds import people_by_id


def preview_round(
    ctx: Tandem, team_id: str | None, admin_user_id: str | None, cohort_name: str
) -> str | Refused:
    """The proposed round with reasons and who stays unmatched and why; or why it can't be
    run (an unknown cohort, no admin, a pool without mentors or mentees)."""
    if team_id is None:
        if ctx.settings.oauth:
            return Refused("Several workspaces use this Tandem: name one with --team T0123ABCD.")
        team_id = ctx.client("").auth_test()["team_id"]
    client = ctx.delivery_client(team_id)
    admin_user_id = admin_user_id or next(iter(sorted(ctx.settings.admins)), None)
    if admin_user_id is None:
        return Refused("Say which programme admin runs the round: --admin U0123ABCD.")
    now = ctx.clock.now()
    with ctx.session() as session:
        try:
            admin = require_programme_admin(
                session, client, ctx.settings, team_id, admin_user_id, now
            )
            if isinstance(admin, Refused):
                return Refused(f"<@{admin_user_id}> can't run a round here: {admin.message}")
            cohort = find_cohort(session, team_id, cohort_name)
            if isinstance(cohort, Refused):
                return cohort
            view = run_round(session, admin, team_id, now, cohort)
            if isinstance(view, Refused):
                return view
            lines = [
                f"Matching round (dry run, nothing kept or sent)"
                f"{f' for {cohort.name}' if cohort else ''}: {len(view.proposals)} match(es) "
                f"from a pool of {view.pool_size}; {view.unmatched} stay unmatched."
            ]
            for proposal, mentor, mentee in view.proposals:
                why = reasons(
                    proposal.shared_topics, proposal.overlap_minutes, proposal.similar_style
                )
                lines.append(f"{mentor.user_id} → {mentee.user_id}: {why}")
            unmatched = view.round.unmatched or []
            people = people_by_id(session, [person_id for person_id, _ in unmatched])
            for person_id, reason in unmatched:
                who = people[person_id].user_id if person_id in people else person_id
                lines.append(f"unmatched {who}: {SHORT[Unmatched(reason)]}")
            if view.left_out:
                lines.append(f"{view.left_out} more wait for the next round.")
            return "\n".join(lines)
        finally:
            session.rollback()  # a dry run: not the round, not even the people looked up
