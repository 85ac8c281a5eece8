import time

import pytest

from processors.places import (
    Gazetteer,
    PlaceEntry,
    ascii_key,
    default_gazetteer,
    find_extra_places,
)


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


# --------------------------------------------------------------------------------------
# the hierarchy: admin-1 codes and containers


def test_entries_carry_their_admin1(gaz):
    # alternate spellings lead to one key and one admin-1
    assert gaz.lookup("Munich").admin1 == gaz.lookup("München").admin1 == "DE.02"
    assert gaz.lookup("Munich").key == gaz.lookup("Muenchen").key
    # a state is its own admin-1; a country has none
    assert gaz.lookup("Texas").admin1 == "US.TX"
    assert gaz.lookup("Germany").admin1 == ""
    assert gaz.admin1_of("munich", "DE") == "DE.02"
    assert gaz.admin1_of("munich", "FR") == ""
    # "<city> region" is the region named after the city: the city's admin-1
    (m,) = gaz.find("Fighting went on in the Munich region.")
    assert (m.kind, m.admin1) == ("region", "DE.02")


def _toy_gazetteer() -> Gazetteer:
    return Gazetteer(
        {
            "marrowby": PlaceEntry("marrowby", "ZZ", 90_000, "city", "ZZ.01"),
            "westshire": PlaceEntry("westshire", "ZZ", 0, "region", "ZZ.02"),
            "fenwick": PlaceEntry("fenwick", "ZZ", 50_000, "city", "ZZ.03"),
            "zedland": PlaceEntry("zedland", "ZZ", 0, "country", ""),
            "northmoor": PlaceEntry("northmoor", "ZZ", 0, "region", ""),
        }
    )


def _extra(text: str) -> dict[str, tuple[str, str, str]]:
    g = _toy_gazetteer()
    known = [p for p in g.find(text) if p.kind != "demonym"]
    return {p.text: (p.kind, p.within, p.admin1) for p in find_extra_places(text, g, known)}


@pytest.mark.parametrize(
    ("text", "name", "within", "admin1"),
    [
        ("Shells hit the Lowgate district of Marrowby.", "Lowgate district", "marrowby", "ZZ.01"),
        ("Two died in Tarnby, near Fenwick, on Monday.", "Tarnby", "fenwick", "ZZ.03"),
        # a region with an admin-1 is that admin-1, not a container beside its cities
        ("Floods killed two in Sarvan, Westshire, on Monday.", "Sarvan", "", "ZZ.02"),
        ("Floods killed two in Sarvan, Northmoor.", "Sarvan", "northmoor", ""),
        ("Marrowby's Lowgate district was shelled.", "Lowgate district", "marrowby", "ZZ.01"),
        ("Two died in Saltby, a northern suburb of Marrowby.", "Saltby", "marrowby", "ZZ.01"),
        (
            "Two died in Tarnby, a town in the north-eastern Westshire region.",
            "Tarnby",
            "",
            "ZZ.02",
        ),
        (
            "Marrowby mourned two who died in Tarnby, some 40 km east of Fenwick.",
            "Tarnby",
            "fenwick",
            "ZZ.03",
        ),
    ],
)
def test_districts_and_towns_attach_to_the_place_named_with_them(text, name, within, admin1):
    got = _extra(text)
    assert got[name][1:] == (within, admin1)


def test_a_town_attaches_to_the_articles_one_city_else_to_nothing():
    text = "Fire broke out in Marrowby. Three died in Tarnby, firefighters said."
    assert _extra(text)["Tarnby"][1:] == ("marrowby", "ZZ.01")
    # two cities named: no guess
    text = "Fire broke out in Marrowby and Fenwick. Three died in Tarnby, officials said."
    assert _extra(text)["Tarnby"][1:] == ("", "")


def test_a_district_is_in_the_city_the_paragraph_was_last_about():
    text = (
        "Drones hit Fenwick overnight. In Marrowby, a missile struck the city's Lowgate "
        "district, killing four."
    )
    assert _extra(text)["Lowgate district"][1:] == ("marrowby", "ZZ.01")
    # the container's admin-1 wins over the one of a namesake the name has elsewhere
    g = Gazetteer(
        {
            "marrowby": PlaceEntry("marrowby", "ZZ", 90_000, "city", "ZZ.01"),
            "lowgate": PlaceEntry("lowgate", "ZZ", 20_000, "city", "ZZ.09"),
        }
    )
    text = "Shells hit the Lowgate district of Marrowby."
    (p,) = find_extra_places(text, g, g.find(text))
    assert (p.within, p.admin1) == ("marrowby", "ZZ.01")
