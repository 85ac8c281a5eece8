"""Domain models: what flows between the processors.

Every model is a frozen pydantic model. Ids are content hashes (see :func:`content_id`), so
the same input always yields the same ids and a replayed or redelivered article collapses
onto the rows it produced the first time.

The wire model for the ``articles`` topic is :class:`Article`; the others are produced by
the processors and are what the sinks write.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Metric = Literal["killed", "injured", "missing"]
Qualifier = Literal["exact", "at_least", "more_than", "about", "nearly", "up_to"]
Scope = Literal["event", "aggregate", "breakdown"]

METRICS: tuple[Metric, ...] = ("killed", "injured", "missing")
QUALIFIERS: tuple[Qualifier, ...] = ("exact", "at_least", "more_than", "about", "nearly", "up_to")


def content_id(*parts: object, size: int = 16) -> str:
    """A short, stable hex id of ``parts`` (joined with a separator that cannot clash)."""
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=size // 2).hexdigest()


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Article(Frozen):
    """One news article, as published to the ``articles`` topic (JSON, key = ``id``).

    Unknown fields are rejected rather than ignored, so a producer that misspells
    ``published_at`` learns about it from the dead-letter topic instead of silently losing
    the date.
    """

    id: str = Field(min_length=1, max_length=200, description="Stable article id.")
    text: str = Field(description="Body text; paragraphs separated by newlines.")
    title: str | None = Field(default=None, description="Headline, if known.")
    published_at: datetime | None = Field(
        default=None, description="Publication time (ISO 8601); naive values are taken as UTC."
    )
    outlet: str | None = Field(default=None, description="Publishing outlet.")
    url: str | None = Field(default=None, description="Canonical URL.")
    received_at: datetime | None = Field(
        default=None,
        description=(
            "When the feed received the article (ISO 8601); places an article without "
            "published_at in time. The stream takes the message's timestamp when it is absent."
        ),
    )

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("text is empty")
        return v

    @field_validator("published_at", "received_at")
    @classmethod
    def _utc(cls, v: datetime | None) -> datetime | None:
        if v is not None and v.tzinfo is None:
            return v.replace(tzinfo=UTC)
        return v

    @property
    def published_date(self) -> date | None:
        return self.published_at.date() if self.published_at else None

    @property
    def content_hash(self) -> str:
        return content_id(self.title, self.text, size=32)


class Mention(Frozen):
    """One casualty figure stated in one article: the output of extraction.

    ``location`` is the most specific place the article names for the event, as written
    (``"Belgorod region"``); ``place`` is its normalised gazetteer key (``"belgorod"``) and
    ``country`` the ISO country code when known; ``admin1`` and ``within`` place it in the
    hierarchy (see :func:`processors.resolve.place_path`). ``event_date`` is set when the article
    pins the day down (explicitly or relative to its publication date); otherwise
    ``weekday`` (0 = Monday) keeps what the article did say ("on Saturday") so that event
    resolution can match it to a dated event.
    """

    mention_id: str
    article_id: str
    metric: Metric
    value: int = Field(ge=0)
    qualifier: Qualifier = "exact"
    source: str | None = None
    location: str | None = None
    place: str | None = None
    place_kind: str | None = Field(
        default=None, description="What the place is: country, region, county, city, district..."
    )
    admin1: str | None = Field(
        default=None,
        description="The admin-1 the place lies in (geonames code, 'UA.07'); a region's own.",
    )
    within: str | None = Field(
        default=None,
        description="Key of the named place containing a district or town ('kharkiv').",
    )
    country: str | None = None
    event_date: date | None = None
    weekday: int | None = Field(default=None, ge=0, le=6)
    hedged: bool = False
    scope: Scope = Field(
        default="event",
        description=(
            "What the figure counts: 'event' (a toll of the current event), 'aggregate' (a "
            "total over a period, a war, a country-year: 'killed since the war began') or "
            "'breakdown' (a part by kind of victim: 'including 10 children'). Only 'event' "
            "figures feed event tolls."
        ),
    )
    sentence: str
    span_start: int
    span_end: int
    published_at: datetime | None = None
    received_at: datetime | None = None

    @staticmethod
    def make_id(article_id: str, metric: str, value: int, span_start: int) -> str:
        return content_id(article_id, metric, value, span_start)


class Rejection(Frozen):
    """Why an input message could not become an :class:`Article` (dead-letter record)."""

    reason: str
    article_id: str | None = None
    raw: str = Field(description="The offending payload, decoded leniently and truncated.")


class Claim(Frozen):
    """One figure about one event from one source, supported by one or more mentions.

    ``claim_id`` hashes (event_id, metric, value, normalised source): the same figure from
    the same source in several articles is one claim with several ``mention_ids``.
    """

    claim_id: str
    event_id: str
    metric: Metric
    value: int
    qualifier: Qualifier
    source: str | None
    location: str | None
    event_date: date | None
    hedged: bool = False
    first_seen: datetime | None
    last_seen: datetime | None
    mention_ids: tuple[str, ...]
    article_ids: tuple[str, ...]

    @property
    def n_articles(self) -> int:
        return len(self.article_ids)


class Event(Frozen):
    """A real-world incident: one place, one day (or one undated cluster)."""

    event_id: str
    group: str = Field(description="The state key that owns this event (see resolve.group_key).")
    title: str
    location: str | None
    place: str | None
    place_kind: str | None = None
    country: str | None
    event_date: date | None
    first_seen: datetime | None
    last_updated: datetime | None


class Toll(Frozen):
    """The current toll of one event for one metric, derived from its claims."""

    event_id: str
    metric: Metric
    low: int
    high: int
    latest: int
    n_claims: int
    n_sources: int
    claim_ids: tuple[str, ...]
    latest_claim_id: str
    latest_article_id: str


class GroupView(Frozen):
    """Everything derived from one state group's mentions: a pure function of that set."""

    group: str
    events: tuple[Event, ...]
    claims: tuple[Claim, ...]
    tolls: tuple[Toll, ...]
    # mention_id -> claim_id, for the ``mentions`` table
    mention_claims: dict[str, str]
