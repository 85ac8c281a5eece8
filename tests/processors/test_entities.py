"""spaCy's named entities as evidence about places in doubt (processors/extract/entities.py),
on sentences made up for these tests."""

from datetime import UTC, datetime

import pytest

from processors.extract import Extractor
from processors.extract.entities import in_doubt, not_places
from processors.models import Article
from processors.places import PlaceMatch

PUB = datetime(2024, 3, 12, tzinfo=UTC)


def locs(ex, text):
    ms = ex.extract(Article(id="t", text=text, published_at=PUB))
    return {(m.metric, m.value): m.location for m in ms}


@pytest.mark.parametrize(
    "text",
    [
        # rule person_name: a town's name that is a given name or a surname, the only
        # "place" of its sentence, used to become the figure's place
        "Nine people were killed when a bus overturned on a mountain road, spokeswoman "
        "Diana Villanueva told reporters.",
        "Nine people were killed when a bus overturned on a mountain road, police captain "
        "Abdikadir Farah said.",
        "Nine people died when a bus overturned, said police spokesman Paul Brennick.",
        "Nine people were killed in Ramon Dizon's house, police said.",
        # rule date_name: a month or a season after "in" is no unknown town
        "Nine people died when a bus overturned in Feb 2024, police said.",
        "Nine people died when a bus overturned in Ramadan, police said.",
    ],
)
def test_names_of_people_and_months_are_no_places(ex, text):
    assert locs(ex, text) == {("killed", 9): None}


def test_without_ner_the_rules_alone_decide(ex):
    off = Extractor(ex.gazetteer, ex.nlp, ner=False)
    text = "Nine people died when a bus overturned in Feb 2024, police said."
    assert locs(off, text) == {("killed", 9): "Feb"}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # the small model takes many towns it has not seen for people: a lone label is
        # no evidence, the town stays
        ("Nine people were killed in Tarnovel on Monday, officials said.", "Tarnovel"),
        ("Nine people were killed in Gravelo Sud on Monday, Diana Villanueva said.", "Gravelo Sud"),
        # a place beside the name of a building is still the place
        ("Nine people died in a fire at the Kelmore Palace Hotel in Moscow.", "Moscow"),
    ],
)
def test_places_the_entities_do_not_overrule(ex, text, place):
    assert locs(ex, text) == {("killed", 9): place}


def _at(text, name, kind="city"):
    i = text.index(name)
    return PlaceMatch(i, i + len(name), name, name.lower(), "XX", 1000, kind)


def test_only_names_in_doubt_are_read():
    text = "Shelling in Marrowby killed two. Spokeswoman Diana Villanueva said so."
    places = [_at(text, "Marrowby"), _at(text, "Diana")]
    assert [in_doubt(text, p) for p in places] == [False, True]
    seen = []

    def read(text, windows):
        seen.extend(windows)
        return [[] for _ in windows]

    units = [(0, 32), (33, len(text))]
    assert not_places(text, places, units, read) == set()
    assert seen == [(33, len(text))]  # the sentence of "Diana" only


def test_a_lost_possessive_in_a_person_is_the_models_slip():
    text = "Floods hit Austrias Tyrol province."
    tyrol, austria = _at(text, "Tyrol", "region"), _at(text, "Austria", "country")

    def read(text, windows):
        return [[(text.index("Austrias"), text.index(" province"), "PERSON")] for _ in windows]

    assert not_places(text, [austria, tyrol], [(0, len(text))], read) == set()
