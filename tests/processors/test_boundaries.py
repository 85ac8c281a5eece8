"""Rules ``speaker_boundary`` and ``toll_clause_boundary`` (processors/extract/boundaries.py):
the commas degraded copy lost, put back before the parse. Sentences made up for these tests."""

from datetime import UTC, datetime

import pytest

from processors.extract.boundaries import (
    boundaries,
    restore_boundaries,
    speaker_boundary,
    toll_clause_boundary,
)
from processors.models import Article

PUB = datetime(2024, 3, 12, tzinfo=UTC)


def claims(ex, text):
    ms = ex.extract(Article(id="t", text=text, published_at=PUB))
    return {(m.metric, m.value): m.source for m in ms}


def after_cuts(ex, rule, text):
    """The words that follow each comma ``rule`` puts back in ``text``."""
    doc = ex.nlp.make_doc(text)
    return [doc[i].text for i in rule(doc)]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("The toll rose to four Mayor Edda Vantrell said on Sunday.", ["Mayor"]),
        ("It struck on Friday killing at least 30 people state media said as rain fell.",
         ["state"]),
        ("Gunmen killed two and injured 40 regional Governor Tamsin Oberle said.", ["regional"]),
        ("The toll has risen to 23 hospital officials said.", ["hospital"]),
        ("Shelling killed seven people the Ostravel Civil Defence Directorate said.", ["the"]),
        ("It swept away 11 skiers a police spokeswoman said.", ["a"]),
        ("The toll rose to 12 authorities in Brenmoor county said Tuesday.", ["authorities"]),
        ("Eight died and 19 were hurt Ana Roe has said.", ["Ana"]),
        ("The toll rose to nine the Brenmoor Relief Agency (BRA) said.", ["the"]),
    ],
)  # fmt: skip
def test_rule_speaker_boundary_puts_back_the_comma_before_the_speaker(ex, text, first):
    assert after_cuts(ex, speaker_boundary, text) == first


@pytest.mark.parametrize(
    "text",
    [
        # a time or a place between the figure and the speaker: the parse copes, and the
        # comma may not have been there
        "A gas blast in Penwick killed 12 people Sunday police said.",
        "The blast killed 12 people in Lowvale police said.",
        # the reporting verb does not end the clause: no speaker after a figure
        "The 12 people police said were killed came from Harrowgate.",
        "Nine people Ana Roe told to leave stayed behind.",
        # a figure followed by a capitalised word that is no speaker
        "A fire at 4 Mayo Street in Brackley killed two people.",
        "Gunmen killed 12 people Sunday in Dornhal.",
        "Police said 12 people died.",
        # a comma already there
        "The toll rose to four, Mayor Edda Vantrell said.",
    ],
)
def test_rule_speaker_boundary_leaves_other_shapes_alone(ex, text):
    assert after_cuts(ex, speaker_boundary, text) == []


def test_rule_toll_clause_boundary(ex):
    text = "Two climbers missing since a storm on Sunday bringing the death toll to five."
    assert after_cuts(ex, toll_clause_boundary, text) == ["bringing"]
    for text in (
        "The flood is bringing the death toll to five.",
        "A storm hit on Sunday, bringing the death toll to five.",
        "Rescuers were bringing the bodies to the village.",
    ):
        assert after_cuts(ex, toll_clause_boundary, text) == [], text


def test_restored_text_keeps_every_offset(ex):
    text = "A flood on Monday killed at least 30 people state media said."
    doc = restore_boundaries(ex.nlp, text)
    assert len(doc.text) == len(text)
    assert [i for i, (a, b) in enumerate(zip(doc.text, text, strict=True)) if a != b] == [
        text.index(" state")
    ]
    assert "," in [t.text for t in doc]
    plain = "A flood on Monday killed at least 30 people, state media said."
    assert restore_boundaries(ex.nlp, plain).text == plain
    assert boundaries(ex.nlp.make_doc(plain)) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Floodwaters swept through the valley town of Marrowby overnight bringing the death "
         "toll to four Mayor Edda Vantrell said on Sunday.",
         {("killed", 4): "Mayor Edda Vantrell"}),
        ("A landslide buried a mountain road near Kestrelholm on Friday killing at least 30 "
         "people state media said as rescuers dug through the mud.",
         {("killed", 30): "state media"}),
        ("The toll from the ferry fire off Isle Varnay has risen to 23 hospital officials said "
         "as more of the burned died.",
         {("killed", 23): "hospital officials"}),
        ("Rescuers recovered the bodies of two climbers who had been missing since a storm near "
         "Fallowpeak on Sunday bringing the death toll to five.",
         {("killed", 5): None}),
        # negative: a figure followed by a time, then the speaker; by a street name
        ("A gas blast in Penwick killed 12 people Sunday police said.", {("killed", 12): "police"}),
        ("A fire at 4 Mayo Street in Brackley killed two people.", {("killed", 2): None}),
    ],
)  # fmt: skip
def test_degraded_copy_keeps_figure_and_speaker(ex, text, want):
    assert claims(ex, text) == want
