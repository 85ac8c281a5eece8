"""Word lists and cheap text patterns of the extractor, as data."""

from __future__ import annotations

import re

KILL_VERBS = {
    "kill", "kills", "killed", "killing", "slain", "slew", "slaughtered", "massacred",
    "murdered", "executed", "crushed", "electrocuted", "burned", "buried",
    # Somali, Pakistani and Arabic-language outlets write of the dead of an attack as
    # martyrs: "15 civilians were martyred"
    "martyred",
}  # fmt: skip


DIE_VERBS = {
    "die", "dies", "died", "dying", "perish", "perished", "perishing", "drown", "drowned",
    "drowning", "succumbed", "succumb",
}  # fmt: skip


INJURE_VERBS = {
    "injure", "injures", "injured", "injuring", "wound", "wounds", "wounded", "wounding",
    "hurt", "hurting", "hospitalised", "hospitalized", "maimed", "burnt",
}  # fmt: skip


LOSE_VERBS = {"lose", "loses", "lost", "losing"}


SHOOT_VERBS = {"shot", "shoot", "shoots", "shooting", "gunned", "gun", "guns", "gunning"}


SUFFER_VERBS = {"sustained", "sustain", "sustains", "suffered", "suffer", "suffers"}


TREAT_VERBS = {"treated", "treat", "treats", "treating", "hospitalised", "hospitalized", "admitted"}


# "21 others are receiving treatment": the hurt, named by the care they get
RECEIVE_CARE_VERBS = {"receiving", "undergoing", "getting"}


BELIEF_VERBS = {"feared", "thought", "believed", "presumed", "reported", "said", "understood"}


# harm that makes a person count as injured
HARM_NOUNS = {
    "injuries", "injury", "wounds", "wound", "burns", "fractures", "heatstroke", "trauma",
    "gunshot", "bruises", "cuts",
}  # fmt: skip


HARM_PREFIXES = ("injur", "wound", "burn", "heat", "inhal", "fractur", "gunshot", "stab")


LEAVE_VERBS = {"leave", "leaves", "left", "leaving"}


# adjectives/participles that state the metric after a copula or "left N ..."
STATE_WORDS = {
    "dead": "killed",
    "killed": "killed",
    "deceased": "killed",
    "injured": "injured",
    "wounded": "injured",
    "hurt": "injured",
    "hospitalised": "injured",
    "hospitalized": "injured",
    "missing": "missing",
    "unaccounted": "missing",
}


# nouns that are themselves the count: "61 deaths", "17 wounded", "25 missing"
METRIC_NOUNS = {
    "dead": "killed",
    "deaths": "killed",
    "death": "killed",
    "fatalities": "killed",
    "fatality": "killed",
    "victims": "killed",
    "bodies": "killed",
    "corpses": "killed",
    "killed": "killed",
    "injured": "injured",
    "wounded": "injured",
    "injuries": "injured",
    "hurt": "injured",
    "missing": "missing",
}


QUALIFIER_PREPS = {"around", "about", "over", "under", "near", "than", "nearly", "some"}


TOLL_NOUNS = {"toll", "tally", "figure", "figures", "number", "count", "total", "tolls"}


# things counted that are not people
NON_PERSON = {
    "drones", "drone", "missiles", "missile", "rockets", "rocket", "shells", "bombs", "tanks",
    "aircraft", "planes", "jets", "helicopters", "vehicles", "cars", "trucks", "buses",
    "homes", "houses", "buildings", "blocks", "flats", "apartments", "schools", "hospitals",
    "cities", "towns", "villages", "regions", "countries", "hectares", "acres", "miles",
    "kilometres", "kilometers", "km", "years", "months", "weeks", "days", "hours", "minutes",
    "times", "percent", "cent", "dollars", "euros", "pounds", "tonnes", "tons", "animals",
    "cattle", "livestock", "sheep", "goats", "dogs", "cats", "birds", "fish", "horses",
    "ships", "boats", "vessels", "weapons", "rounds", "attacks", "strikes", "incidents",
    "cases", "calls", "posts", "objects", "targets", "sites", "facilities", "stations",
    "structures", "bridges", "roads", "kilograms", "kg", "metres", "meters", "feet",
    "degrees", "points", "votes", "seats", "floors", "storeys", "stories", "arrests",
    "detentions", "fires", "landslides", "earthquakes", "aftershocks", "provinces",
    "districts", "states", "counties",
}  # fmt: skip


PERSON_SINGULAR = {
    "man", "woman", "child", "boy", "girl", "person", "teenager", "teen", "baby", "infant",
    "toddler", "pensioner", "resident", "civilian", "soldier", "officer", "worker",
    "journalist", "driver", "passenger", "pedestrian", "student", "firefighter", "policeman",
    "policewoman", "rescuer", "volunteer", "miner", "pilot", "farmer", "fisherman", "tourist",
    "motorist", "cyclist", "guard", "doctor", "nurse", "teacher", "mother", "father", "son",
    "daughter", "youth", "individual", "old", "serviceman", "climber", "hiker", "swimmer",
    "migrant", "refugee", "villager", "employee", "shopper", "bystander", "gunman", "suspect",
}  # fmt: skip
# the determiners of one person: "a man died", "another child was killed"
SINGLE_DETERMINERS = frozenset({"a", "an", "another"})


SPEECH_VERBS = {
    "say", "says", "said", "saying", "tell", "tells", "told", "telling", "add", "adds",
    "added", "adding", "report", "reports", "reported", "reporting", "claim", "claims",
    "claimed", "claiming", "state", "states", "stated", "announce", "announces", "announced",
    "confirm", "confirms", "confirmed", "write", "writes", "wrote", "reveal", "reveals",
    "revealed", "tweet", "tweeted", "estimate", "estimates", "estimated", "warn", "warned",
    "posted", "insisted", "noted", "explained", "quoted", "cited",
}  # fmt: skip


# verbs of change a toll takes: "the toll had climbed to 241", "the number fell to 34"
CHANGE_VERBS = {
    "rose", "risen", "rise", "rises", "rising", "climbed", "climb", "climbs", "climbing",
    "increased", "jumped", "soared", "grew", "grown", "fell", "fallen", "dropped", "declined",
    "decreased", "mounted",
}  # fmt: skip


# "officials put the toll at 61", "police revised the figure": the subject is the source
TOLL_VERBS = {"put", "puts", "revised", "raised", "lowered", "updated", "gave", "give", "gives"}


PRONOUNS = {"he", "she", "they", "it", "we", "him", "them"}


# nouns that name what happened: a day that modifies one ("Sunday's crash", "the attack on
# Friday", "the floods that hit at the weekend") is the event's day, whatever the figure
EVENT_NOUNS = {
    "attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "raid", "raids",
    "blast", "blasts", "explosion", "explosions", "bombing", "bombings", "shelling",
    "bombardment", "barrage", "fighting", "clashes", "violence", "assault", "ambush",
    "shooting", "shootings", "massacre", "killings", "siege", "rampage", "riot", "riots",
    "fire", "fires", "blaze", "wildfire", "wildfires", "bushfire", "bushfires",
    "quake", "quakes", "earthquake", "earthquakes", "tremor", "aftershock", "aftershocks",
    "flood", "floods", "flooding", "storm", "storms", "typhoon", "cyclone", "hurricane",
    "tornado", "tornadoes", "landslide", "landslides", "mudslide", "mudslides", "avalanche",
    "eruption", "tsunami", "downpour", "downpours", "rains", "deluge",
    "crash", "crashes", "collision", "accident", "accidents", "derailment", "sinking",
    "capsizing", "collapse", "stampede", "incident", "disaster", "tragedy",
}  # fmt: skip


WEEKDAY_MONTH_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "christmas", "easter", "new", "god",
}  # fmt: skip


# most specific first: a district wins over its city, a county over its province
KIND_RANK = {"district": 0, "city": 1, "unknown": 2, "county": 3, "region": 4, "country": 5}


COARSEST = 5


CASUALTY_RE = re.compile(
    r"\b(?:kill|dead|death|die[sd]?\b|dying|fatal|injur|wound|hurt|missing|unaccounted|"
    r"victim|bod(?:y|ies)\b|(?<!who )lives\b|toll|hospitali[sz]|perish|drown|lost\b|losing\b|"
    r"slain|succumb|martyr|figure|tally|looking\s+for|search|fate|treat(?:ed|ing|ment)\b|burns\b|"
    r"heatstroke|shot\b|gunned|buried\b|"
    r"(?:taken|rushed|admitted|airlifted|flown)\s+to\s+(?:a\s+|the\s+)?hospitals?\b|"
    rf"\b(?:that|which|it)\s+(?:had\s+|has\s+)?(?:{'|'.join(sorted(CHANGE_VERBS))})\s+to\b)",
    re.IGNORECASE,
)


FIGURE_HINT_RE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|dozen)\b|"
    r"\b(?:an?|another)\s+(?:[\w-]+\s+){0,2}(?:" + "|".join(sorted(PERSON_SINGULAR)) + r")\b",
    re.IGNORECASE,
)


ABBREV_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Gov|Sen|Rep|Capt|Maj|Prof|No|Jan|Feb|Aug|Sept|"
    r"Oct|Nov|Dec|Jr|Sr|vs|etc|approx|Co|Corp|Inc|Ltd|Mt|Ft)|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])$"
)


QUALIFIERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "at_least",
        re.compile(
            r"\b(?:at\s+least|a\s+minimum\s+of|no\s+(?:fewer|less)\s+than|not\s+(?:fewer|less)\s+than|minimum\s+of)\s*$",
            re.I,
        ),
    ),
    (
        "more_than",
        re.compile(
            r"\b(?:more\s+than|over|in\s+excess\s+of|upwards\s+of|above|greater\s+than|exceeding|well\s+over)\s*$",
            re.I,
        ),
    ),
    (
        "nearly",
        re.compile(r"\b(?:nearly|almost|close\s+to|just\s+under|just\s+short\s+of)\s*$", re.I),
    ),
    ("up_to", re.compile(r"\b(?:up\s+to|as\s+many\s+as|as\s+much\s+as)\s*$", re.I)),
    (
        "about",
        re.compile(
            r"\b(?:around|about|some|approximately|roughly|an\s+estimated|estimated|approx\.?|circa|perhaps|or\s+so)\s*$",
            re.I,
        ),
    ),
]


# "one dead and six wounded", "20 people killed": a figure directly followed by the metric
SURFACE_RE = re.compile(
    r"\s+(?:(?:more|other|others|people|persons|civilians|passengers|residents|workers|"
    r"miners|crew|children)\s+)?(?:(?:were|are|was|is|remain|remained|remains|had\s+been|"
    r"have\s+been|still|also)\s+){0,3}"
    r"(dead|killed|injured|wounded|hurt|missing|unaccounted)\b",
    re.I,
)


# the missing, told by the search for them or their unknown fate: "still looking for 12
# people", "searching for 39 passengers", "the fate of 30 others is unknown"
SEARCH_BEFORE_RE = re.compile(
    r"\b(?:looking|searching|search(?:es)?|hunting|hunt)\s+(?:continues?\s+|is\s+on\s+)?for\s+"
    r"(?:(?:at\s+least|about|around|some|another|a\s+further|the\s+remaining|the)\s+)?$",
    re.I,
)


FATE_BEFORE_RE = re.compile(
    r"\bfates?\s+of\s+(?:(?:at\s+least|about|around|some|another|the)\s+)?$", re.I
)


_PERSONS = (
    r"(?:people|persons|others|passengers|residents|workers|miners|crew|children|villagers|"
    r"fishermen|migrants|hikers|climbers|tourists|students|members|victims|survivors)"
)


FATE_AFTER_RE = re.compile(
    rf"^\s+(?:(?:more|other)\s+)?(?:{_PERSONS}\s+)?(?:is|are|was|were|remains?|remained)\s+"
    r"(?:still\s+)?(?:unknown|unclear|not\s+known)\b",
    re.I,
)


PERSON_AFTER_RE = re.compile(rf"^\s+(?:(?:more|other|missing)\s+)?{_PERSONS}\b", re.I)


COMBINED_AFTER_RE = re.compile(r"\s*(?:and|or|&|/)\s+(?:dead|killed|injured|wounded|hurt)\b", re.I)


PAST_RE = re.compile(r"earlier|last|ago|previous|previously")


PAST_PHRASE_RE = re.compile(
    r"\b(?:earlier this (?:year|month)|last (?:year|month|decade|century|summer|winter|spring|"
    r"autumn|january|february|march|april|may|june|july|august|september|october|november|"
    r"december)|"
    r"(?:years|months|decades) ago|a (?:year|decade) ago|in a previous|previously)\b"
)


TOLL_TO_RE = re.compile(
    r"\b(?:bringing|raising|taking|pushing|lifting|bring|raise|take|push)\b[^.;]{0,40}?"
    r"\b(?:toll|total|tally|number|count)\b[^.;]{0,40}?\bto\b",
    re.I,
)


_CHANGE_WORDS = "|".join(sorted(CHANGE_VERBS))


# a toll told by its change when the parse fails: "the number of people unaccounted for
# fell to 34"
TOLL_CHANGE_BEFORE_RE = re.compile(
    r"\b(?:(?:death|casualty)\s+)?(?:toll|number|count|tally|total)"
    r"(?P<of>\s+of\s+(?:[a-z]+\s+){0,3}?(?:for\s+)?)?\s*"
    r"(?:(?:had|has|have)\s+)?(?:(?:now|since|later|then|also)\s+)?"
    rf"(?:{_CHANGE_WORDS})\s+to\s+(?:[a-z]+\s+){{0,3}}$",
    re.I,
)


# the earlier figure of a change: "31 remained missing, down from 57", "up from the 27
# reported on Wednesday"
CHANGE_FROM_BEFORE_RE = re.compile(
    r"\b(?:down|up)\s+from\s+(?:the\s+)?"
    r"(?:(?:about|around|some|nearly|at\s+least|more\s+than)\s+)?$",
    re.I,
)


# verbs a toll stands at, told of its earlier count: "the toll, which had stood at 11"
STAND_VERBS = {"stood", "stand", "stands", "standing"}


# a person past saving: "could not be saved", "did not survive" (the dead, whatever
# injuries the sentence names)
NOT_SAVED_VERBS = {"saved", "save", "survive", "survived", "revived", "resuscitated"}


# units of a measurement: "winds of up to 118 kilometres per hour" is no hedge of a count
MEASURE_UNITS = (
    r"(?:kilomet(?:re|er)s?|km(?:/h|ph)?|miles?|mph|knots|met(?:re|er)s?|feet|ft|"
    r"centimet(?:re|er)s?|cm|millimet(?:re|er)s?|mm|inch(?:es)?|degrees?|kg|kilograms?|"
    r"tonnes?|tons?|litres?|liters?|hectares?|acres?|per\s*cent|percent|%)"
)


TOLL_WORD_RE = re.compile(r"\b(?:toll|tally|number|count|figure)\b", re.I)


AT_LEAST_AFTER_RE = re.compile(r"^\s*(?:\+|or\s+more\b|plus\b)", re.I)


# a subset of a figure just given: "nine were injured, four of them seriously"
SUBSET_AFTER_RE = re.compile(
    r"^\s+of\s+(?:them|whom|those)\s+(?:[a-z]+ly\b|in\s+(?:a\s+)?(?:serious|critical|grave))",
    re.I,
)


# a rate, not an event: "kills around 300 people a year", "die on the roads every year"
RATE_NEAR_RE = re.compile(
    r"\b(?:a|per|each|every)\s+(?:year|month|week|day)\b|\bannually\b|\byearly\b", re.I
)


# sentences about no current event: anniversaries, drills and simulations
NOT_CURRENT_RE = re.compile(
    r"\b(?:\w+|\d+)[ -]years?\s+(?:after|since)\b|\banniversar|\bcommemorat|\bremembered\b|"
    r"\bdrills?\b|\bsimulat\w*|\bhypothetical\b|\bscenario\b|\bexercises?\b",
    re.I,
)


HEDGE_RE = re.compile(
    r"\b(?:may\s+have|might\s+have|could\s+have|may\s+be|might\s+be|feared|fears?\s+that|"
    r"possibly|potentially|believed\s+to|thought\s+to|presumed|unconfirmed|as\s+many\s+as|"
    rf"up\s+to(?!\s+[\d.,]+\s*{MEASURE_UNITS}(?!\w))|could\s+rise|likely)\b",
    re.I,
)


RATE_AFTER_RE = re.compile(
    r"^\s*(?:(?:people\s+)?(?:per|a|each|every)\s+(?:day|week|month|year|hour|minute)\b|per\s*cent|percent|%)",
    re.I,
)


GENERIC_PLACE_RE = re.compile(
    r"\bthe\s+(?:city|capital|town|village|port\s+city|regional\s+capital)\b(?!\s+(?:of|[A-Z]))"
)


SPEECH_BEFORE_RE = re.compile(
    r"\b(?:said|says|say|told|wrote|added|reported|announced|posted|tweeted|stated|"
    r"declared|speaking)\b[^.;,”\"]{0,45}$",
    re.I,
)


FUTURE_BEFORE_RE = re.compile(r"\b(?:will|would|shall)\s+(?:be\s+)?\w*\s*$", re.I)


SPEAKER_WORDS = (
    r"officials?|authorities|police|spokes(?:man|woman|person)|governor|mayor|ministry|minister|"
    r"president|media|agency|officers?|sources?|document|report|military|army|rescuers|"
    r"regional|local|state|news|emergency|emergencies|services?|department|health|interior|"
    r"defen[cs]e|fire|chief|head|commander|statement|witnesses|residents|hospital|medics|"
    r"doctors|administration|government|council|committee|the|of|and|'s|’s|hacked|leaked|"
    r"provincial|national|disaster|management|civil|protection|authority|office|company|"
    r"coroner|investigators|prosecutors?|general|staff|forces|guard|district|county|city"
)


NAMED_SPEAKER_RE = re.compile(
    rf"((?:(?:[A-Z][\w’'.-]*|{SPEAKER_WORDS})\s+){{0,6}}(?:[A-Z][\w’'.-]*|{SPEAKER_WORDS}))"
    r"\s+(?:has\s+|had\s+|have\s+|also\s+)?(?:said|says|told|added|reported|wrote|claimed|"
    r"stated|announced|confirmed|revealed|tweeted)\b"
)


# single words of a speaker phrase ("state media", "regional health officials")
SPEAKER_SET = {
    form
    for w in re.findall(r"[a-z]+", SPEAKER_WORDS)
    if w not in ("the", "of", "and", "s")
    for form in (w, w.removesuffix("s"))
} | {
    "monitor", "observatory", "group", "medics", "residents", "witnesses", "source", "sources",
    "rescuers", "official", "spokesperson", "spokesman", "spokeswoman", "network", "charity", "paramedics", "doctor",
    "broadcaster", "television", "radio", "newspaper", "channel", "outlet", "defence",
    "coastguard", "guard", "brigade", "volunteers", "volunteer", "workers", "worker", "director",
    "forensic", "inspectorate", "ministry", "force", "council", "foundation",
}  # fmt: skip


SPEECH_HINT_RE = re.compile(
    r"\b(?:said|says|told|added|reported|wrote|claimed|stated|announced|confirmed|revealed|"
    r"tweeted)\b"
)


_PRONOUN_SPEAKER_RE = re.compile(
    r"\b(he|she|they|it)\s+(?:has\s+|had\s+|also\s+)?(?:said|says|told|added|reported|wrote|"
    r"claimed|stated|announced|confirmed)\b",
    re.I,
)


UNIT_WORDS = {"province", "region", "district", "county", "state", "city", "town", "village"}


LIST_SEP = {",", "and", ";", "while", "with"}


LIST_PREP = {"in", "at", "near", "across", "on"}


LIST_GLUE = {"were", "was", "are", "is", "been", "have", "has", "had", "be", "reported"}


LIST_NOUNS = {"people", "persons", "others", "more", "victims", "deaths", "dead"}


# where the wounded are taken: a place named just after one is not the scene ("taken to
# hospitals in Kathmandu")
CARE_WORDS = {
    "hospital", "hospitals", "clinic", "clinics", "morgue", "morgues", "centre", "center",
    "infirmary", "patient", "patients", "treatment",
}  # fmt: skip
# verbs of caring for the hurt: the place they take ("hospitalised in X", "treated in X",
# "flown to X for treatment") is where the wounded went, not where the event was
CARE_VERBS = {
    "hospitalised", "hospitalized", "hospitalising", "hospitalizing", "treated", "treating",
    "admitted", "discharged", "flown", "airlifted",
}  # fmt: skip
