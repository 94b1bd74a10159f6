"""People: finding a person by their Slack id in a workspace."""

from collections.abc import Collection

from sqlmodel import Session, col, select

from storage.models import Person


def find_person(session: Session, team_id: str, user_id: str) -> Person | None:
    """The person `user_id` of workspace `team_id`, if Tandem knows them."""
    return session.exec(
        select(Person).where(Person.team_id == team_id, Person.user_id == user_id)
    ).first()


def people_of_users(session: Session, team_id: str, user_ids: Collection[str]) -> dict[str, Person]:
    """The people of `team_id` Tandem knows among `user_ids`, by Slack id (one statement)."""
    if not user_ids:
        return {}
    rows = session.exec(
        select(Person).where(Person.team_id == team_id, col(Person.user_id).in_(list(user_ids)))
    ).all()
    return {person.user_id: person for person in rows}
