import time

import pytest

from processors.places import Gazetteer, ascii_key, default_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


def test_loads_fast_and_is_compact():
    start = time.perf_counter()
    g = Gazetteer.load()
    assert time.perf_counter() - start < 1.5  # generous for slow CI; ~0.25 s here
    assert len(g) > 50_000


@pytest.mark.parametrize(
    ("name", "key", "country", "kind"),
    [
        ("Kiev", "kyiv", "UA", "city"),
        ("Kyiv", "kyiv", "UA", "city"),
        ("Ukraine", "ukraine", "UA", "country"),
        ("Britain", "united kingdom", "GB", "country"),
        ("Osaka", "osaka", "JP", "city"),
        ("Texas", "texas", "US", "region"),
        ("Ukrainian", "ukraine", "UA", "demonym"),
    ],
)
def test_lookup(gaz, name, key, country, kind):
    e = gaz.lookup(name)
    assert e is not None
    assert (e.key, e.country, e.kind) == (key, country, kind)


def test_find_region_suffix_and_possessive(gaz):
    text = "A man died in the Belgorod region; Ukraine's south was shelled."
    got = [(m.text, m.key, m.country, m.kind) for m in gaz.find(text)]
    assert got == [
        ("Belgorod region", "belgorod", "RU", "region"),
        ("Ukraine", "ukraine", "UA", "country"),
    ]


def test_find_skips_people_and_sentence_openers(gaz):
    assert gaz.find("President Vladimir Putin was briefed.") == []
    assert gaz.find("Police said the fire was out. The car was found.") == []


def test_find_multiword_and_trailing_stop(gaz):
    got = [m.text for m in gaz.find("Floods hit Rio de Janeiro and New York City. It hit Leeds.")]
    assert got == ["Rio de Janeiro", "New York City", "Leeds"]


def test_lowercase_words_are_not_places(gaz):
    assert gaz.find("a nice split in the bath") == []


def test_ascii_key():
    assert ascii_key("Zaporizhzhia Oblast") == "zaporizhzhia"
    assert ascii_key("the Belgorod region") == "belgorod"
    assert ascii_key("Ciudad Juárez") == "ciudad juarez"


def test_find_is_fast(gaz):
    text = "Strikes hit Kharkiv, Odesa and Lviv while Moscow blamed Kyiv. " * 80
    start = time.perf_counter()
    gaz.find(text)
    assert time.perf_counter() - start < 0.2
