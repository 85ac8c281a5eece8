"""The candidate claim the passes read and build anew, and the scopes a figure can have."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from processors.extract.lexicon import COARSEST, KIND_RANK
from processors.places import PlaceMatch

SCOPES: tuple[str, ...] = ("event", "aggregate", "breakdown")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A figure read as a claim, with what the rules decided about it so far.

    Frozen: a rule never changes a candidate, it returns a new one (``dataclasses.replace``
    or :meth:`placed_at`, :meth:`placed_as`, :meth:`with_kind`), and a pass hands the new
    ones on in place of the old."""

    metric: str
    value: int
    start: int  # absolute offsets of the figure
    end: int
    num_i: int  # token index of the figure in the doc
    nom_i: int  # token index of its nominal
    anchor_i: int  # token index of the word that carries the metric
    qualifier: str = "exact"
    hedged: bool = False
    source: str | None = None
    location: str | None = None
    place: str | None = None
    country: str | None = None
    event_date: date | None = None
    weekday: int | None = None
    sentence: str = ""
    scope: str = "event"
    # the kind of ``place`` (district, city, unknown, county, region, country), if known
    place_kind: str | None = None
    # whether a rule set ``place_kind`` (even to None): a claim no rule placed ranks as a
    # country when duplicates merge, one whose place was cleared as an unknown place
    place_kind_set: bool = False
    # the place is a fallback, not named with the figure: "paragraph" (the sentence
    # before it in the paragraph) or "main" (the article's main place)
    weak_place: str | None = None
    # the date is not pinned by the figure's own sentence (carried, or none found)
    weak_date: bool = False
    # the rule that set the place (evidence for a wrong place): "clause" (named in the
    # figure's clause), "sentence", "acting_only", "paragraph", "main" (fallbacks), and the
    # second looks: "site", "outside_attacker", "attacker_cleared", "quote_continues",
    # "previous_sentence", "other_day", "continuation", "scene", "nationwide", "merged"
    place_rule: str = ""
    # token indices of the places a listed figure names itself ("9 in B")
    own_places: frozenset[int] = frozenset()
    # the places of the parts a total is told in by its sentence ("Six deaths: four in A
    # and two in B"): the total is at none of them (rule split_total)
    part_places: frozenset[str] = frozenset()

    def with_kind(self, kind: str | None, rule: str) -> Candidate:
        """The claim with its place's kind set by ``rule`` (see ``place_kind_set``)."""
        return replace(self, place_kind=kind, place_kind_set=True, place_rule=rule)

    def placed_at(self, p: PlaceMatch, rule: str) -> Candidate:
        """The claim put at place ``p`` by ``rule``."""
        return replace(
            self,
            location=p.text,
            place=p.key,
            country=p.country or None,
            place_kind=p.kind,
            place_kind_set=True,
            place_rule=rule,
        )

    def placed_as(self, other: Candidate, rule: str) -> Candidate:
        """The claim put where ``other`` is, by ``rule``."""
        return replace(
            self,
            location=other.location,
            place=other.place,
            country=other.country,
            place_kind=other.place_kind,
            place_kind_set=True,
            place_rule=rule,
        )

    @property
    def rank(self) -> int:
        """How specific the claim's place is (lower: more specific; no place: coarsest)."""
        return KIND_RANK.get(self.place_kind or "country", COARSEST)

    @property
    def merge_rank(self) -> int:
        """How specific the claim's place is when duplicates merge (see ``place_kind_set``)."""
        if not self.place_kind_set:
            return KIND_RANK["country"]
        return 2 if self.place_kind is None else KIND_RANK.get(self.place_kind, 2)


# candidates with the sentence unit each was found in, in the order found
Found = list[tuple[int, Candidate]]
