"""Which sentence units are parsed at all: :func:`may_hold_claim` tells, from the words of
the unparsed unit, those in which :func:`claims_in_unit` can find no claim. Sentences made
up for these tests."""

import pytest

from processors.extract.sentence import may_hold_claim


@pytest.mark.parametrize(
    ("sent", "want"),
    [
        ("At least 12 people were killed on Monday.", True),
        ("A man died in the blast.", True),  # one person, no figure
        ("Another child was hurt.", True),
        ("The quake struck a town of about 85,000 people.", False),  # a population
        ("The 7.1-magnitude quake was felt 300 km away.", False),  # measures
        ("The toll was the worst since 1999.", False),  # a year
        ("Rescuers searched for the missing through the night.", False),  # no figure, no one
        ("Ten years after the attack that killed 50, the city remembered.", False),  # past
        ("The drill simulated 200 casualties.", False),  # an exercise
    ],
)
def test_units_that_cannot_hold_a_claim_are_told_before_the_parse(ex, sent, want):
    assert may_hold_claim(ex.nlp.make_doc(sent), sent) is want
