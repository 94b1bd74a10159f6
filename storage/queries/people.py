"""People: finding a person by their Slack id in a workspace."""

from sqlmodel import Session, select

from storage.models import Person


def find_person(session: Session, team_id: str, user_id: str) -> Person | None:
    """The person `user_id` of workspace `team_id`, if Tandem knows them."""
    return session.exec(
        select(Person).where(Person.team_id == team_id, Person.user_id == user_id)
    ).first()
