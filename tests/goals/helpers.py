"""Meetings as Tandem records them, for the occasion tests."""

from datetime import datetime, timedelta

from storage.models import Meeting, MeetingStatus, Pair


def add_meetings(tandem, steps, statuses: list[str], first: datetime) -> datetime:  # type: ignore[no-untyped-def]
    """Weekly meetings from `first` with these statuses, logged as Tandem logs them (the pair
    is marked for a streak check); returns when the next one would be."""
    with tandem.session() as session:
        pair = session.get(Pair, steps.pair.pair_id)
        if MeetingStatus.MET in statuses:
            pair.streak_check_at = max(first, tandem.clock.now())
            session.add(pair)
        for week, status in enumerate(statuses):
            at = first + timedelta(weeks=week)
            session.add(
                Meeting(
                    team_id=tandem.team_id,
                    pair_id=steps.pair.pair_id,
                    occurrence_at=at,
                    starts_at=at,
                    status=status,
                )
            )
    return first + timedelta(weeks=len(statuses))
