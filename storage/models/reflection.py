"""Feedback, contributions (giving back), periodic reviews, and endings."""

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import utcnow


class Feedback(SQLModel, table=True):
    """Feedback from one member, for the partner or only for the programme in aggregate."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    author_id: int = Field(foreign_key="person.id")
    kind: str = Field(max_length=16)  # support | applied | general
    text: str = Field(sa_column=Column(Text, nullable=False))
    goal_id: int | None = Field(default=None, foreign_key="goal.id")
    visibility: str = Field(max_length=16)  # partner | programme
    thanked_at: datetime | None = None
    reply: str = Field(default="", sa_column=Column(Text, nullable=False))
    replied_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Contribution(SQLModel, table=True):
    """Something one member gave the other: an insight, article, tool, introduction, review."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    giver_id: int = Field(foreign_key="person.id")
    receiver_id: int = Field(foreign_key="person.id")
    kind: str = Field(default="insight", max_length=16)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Review(SQLModel, table=True):
    """One round of the periodic re-evaluation of a pair."""

    __table_args__ = (UniqueConstraint("pair_id", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    round: int
    opened_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None


class ReviewAnswer(SQLModel, table=True):
    """One member's private answers to a review round."""

    __tablename__ = "review_answer"
    __table_args__ = (UniqueConstraint("review_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    review_id: int = Field(foreign_key="review.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    value_score: int  # 1–5, 3 = met expectations
    time_commitment: str = Field(max_length=16)  # too_little | right | too_much
    goals_still_right: str = Field(max_length=16)  # yes | partly | no
    decision: str = Field(max_length=16)  # continue | adjust | pause | conclude
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    answered_at: datetime = Field(default_factory=utcnow)


class Retrospective(SQLModel, table=True):
    """A member's closing words when a pair ends (graduate or close)."""

    __table_args__ = (UniqueConstraint("pair_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    pair_id: int = Field(foreign_key="pair.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    kind: str = Field(max_length=16)  # graduate | close
    reflection: str = Field(default="", sa_column=Column(Text, nullable=False))
    thank_you: str = Field(default="", sa_column=Column(Text, nullable=False))
    private_reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class GivingBack(SQLModel, table=True):
    """When a pair's giving back is next looked at (mentor's digest, invitation to give back)."""

    __tablename__ = "giving_back"

    pair_id: int = Field(foreign_key="pair.id", primary_key=True)
    team_id: str = Field(foreign_key="workspace.team_id", index=True, max_length=32)
    next_check_at: datetime = Field(index=True)
    last_digest_at: datetime | None = None
    last_invite_at: datetime | None = None
