"""Synthetic news articles for throughput benchmarks.

``generate(n, seed)`` returns ``n`` news-length articles (about 3-6 KB, 12-30 paragraphs) as
dicts ``{id, title, text, published_at, outlet}``, built from templates with randomised places,
dates, figures, event kinds, phrasings and filler (background, quotes, reactions, numbers that
are not casualty figures). The output depends only on ``(n, seed)``.

    python bench/corpus.py 1000 /tmp/articles.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime, timedelta

# --------------------------------------------------------------------------- vocabulary

CITIES: list[tuple[str, str]] = [
    ("Izmir", "Turkey"), ("Adana", "Turkey"), ("Trabzon", "Turkey"), ("Van", "Turkey"),
    ("Porto Alegre", "Brazil"), ("Recife", "Brazil"), ("Manaus", "Brazil"),
    ("Belo Horizonte", "Brazil"), ("Salvador", "Brazil"), ("Kathmandu", "Nepal"),
    ("Pokhara", "Nepal"), ("Lagos", "Nigeria"), ("Kano", "Nigeria"), ("Ibadan", "Nigeria"),
    ("Port Harcourt", "Nigeria"), ("Jos", "Nigeria"), ("Nairobi", "Kenya"),
    ("Mombasa", "Kenya"), ("Kisumu", "Kenya"), ("Kampala", "Uganda"), ("Gulu", "Uganda"),
    ("Dar es Salaam", "Tanzania"), ("Mwanza", "Tanzania"), ("Addis Ababa", "Ethiopia"),
    ("Bahir Dar", "Ethiopia"), ("Khartoum", "Sudan"), ("Port Sudan", "Sudan"),
    ("Cairo", "Egypt"), ("Alexandria", "Egypt"), ("Aswan", "Egypt"), ("Tripoli", "Libya"),
    ("Benghazi", "Libya"), ("Tunis", "Tunisia"), ("Sfax", "Tunisia"), ("Algiers", "Algeria"),
    ("Oran", "Algeria"), ("Casablanca", "Morocco"), ("Marrakesh", "Morocco"),
    ("Fez", "Morocco"), ("Dakar", "Senegal"), ("Bamako", "Mali"), ("Niamey", "Niger"),
    ("Accra", "Ghana"), ("Kumasi", "Ghana"), ("Abidjan", "Ivory Coast"),
    ("Douala", "Cameroon"), ("Kinshasa", "DR Congo"), ("Goma", "DR Congo"),
    ("Lubumbashi", "DR Congo"), ("Luanda", "Angola"), ("Lusaka", "Zambia"),
    ("Harare", "Zimbabwe"), ("Maputo", "Mozambique"), ("Beira", "Mozambique"),
    ("Antananarivo", "Madagascar"), ("Durban", "South Africa"),
    ("Johannesburg", "South Africa"), ("Cape Town", "South Africa"), ("Karachi", "Pakistan"),
    ("Lahore", "Pakistan"), ("Peshawar", "Pakistan"), ("Quetta", "Pakistan"),
    ("Multan", "Pakistan"), ("Dhaka", "Bangladesh"), ("Chittagong", "Bangladesh"),
    ("Sylhet", "Bangladesh"), ("Khulna", "Bangladesh"), ("Mumbai", "India"),
    ("Kolkata", "India"), ("Chennai", "India"), ("Hyderabad", "India"), ("Patna", "India"),
    ("Guwahati", "India"), ("Lucknow", "India"), ("Jaipur", "India"), ("Kochi", "India"),
    ("Colombo", "Sri Lanka"), ("Kandy", "Sri Lanka"), ("Yangon", "Myanmar"),
    ("Mandalay", "Myanmar"), ("Bangkok", "Thailand"), ("Chiang Mai", "Thailand"),
    ("Hanoi", "Vietnam"), ("Da Nang", "Vietnam"), ("Ho Chi Minh City", "Vietnam"),
    ("Manila", "Philippines"), ("Cebu", "Philippines"), ("Davao", "Philippines"),
    ("Tacloban", "Philippines"), ("Jakarta", "Indonesia"), ("Surabaya", "Indonesia"),
    ("Medan", "Indonesia"), ("Makassar", "Indonesia"), ("Padang", "Indonesia"),
    ("Kuala Lumpur", "Malaysia"), ("Chongqing", "China"), ("Chengdu", "China"),
    ("Wuhan", "China"), ("Zhengzhou", "China"), ("Kunming", "China"), ("Taiyuan", "China"),
    ("Hualien", "Taiwan"), ("Osaka", "Japan"), ("Sendai", "Japan"), ("Kumamoto", "Japan"),
    ("Busan", "South Korea"), ("Daegu", "South Korea"), ("Almaty", "Kazakhstan"),
    ("Bishkek", "Kyrgyzstan"), ("Tashkent", "Uzbekistan"), ("Kabul", "Afghanistan"),
    ("Herat", "Afghanistan"), ("Mashhad", "Iran"), ("Tabriz", "Iran"), ("Kerman", "Iran"),
    ("Mosul", "Iraq"), ("Basra", "Iraq"), ("Erbil", "Iraq"), ("Aleppo", "Syria"),
    ("Homs", "Syria"), ("Beirut", "Lebanon"), ("Sanaa", "Yemen"), ("Aden", "Yemen"),
    ("Odesa", "Ukraine"), ("Dnipro", "Ukraine"), ("Zaporizhzhia", "Ukraine"),
    ("Lviv", "Ukraine"), ("Valencia", "Spain"), ("Seville", "Spain"), ("Porto", "Portugal"),
    ("Naples", "Italy"), ("Palermo", "Italy"), ("Bologna", "Italy"), ("Marseille", "France"),
    ("Lyon", "France"), ("Athens", "Greece"), ("Thessaloniki", "Greece"),
    ("Belgrade", "Serbia"), ("Bucharest", "Romania"), ("Krakow", "Poland"),
    ("Dresden", "Germany"), ("Cologne", "Germany"), ("Malmo", "Sweden"),
    ("Mexico City", "Mexico"), ("Guadalajara", "Mexico"), ("Acapulco", "Mexico"),
    ("Culiacan", "Mexico"), ("Guatemala City", "Guatemala"), ("San Salvador", "El Salvador"),
    ("Tegucigalpa", "Honduras"), ("Port-au-Prince", "Haiti"), ("Bogota", "Colombia"),
    ("Medellin", "Colombia"), ("Cali", "Colombia"), ("Quito", "Ecuador"),
    ("Guayaquil", "Ecuador"), ("Lima", "Peru"), ("Cusco", "Peru"), ("La Paz", "Bolivia"),
    ("Santiago", "Chile"), ("Valparaiso", "Chile"), ("Mendoza", "Argentina"),
    ("Rosario", "Argentina"), ("Houston", "United States"), ("Tulsa", "United States"),
    ("Memphis", "United States"), ("Fresno", "United States"), ("Winnipeg", "Canada"),
]  # fmt: skip

DISTRICTS = [
    "the old town", "the northern suburbs", "the port district", "an industrial zone",
    "the eastern outskirts", "a market area", "a hillside neighbourhood", "the city centre",
    "a riverside settlement", "a village 30 km away", "the airport road", "a refugee camp",
]  # fmt: skip

FIRST = [
    "Amina", "Carlos", "Fatima", "Hassan", "Ivan", "Leila", "Maria", "Nikos", "Olena", "Pedro",
    "Ravi", "Sanjay", "Siti", "Tomasz", "Yusuf", "Zeynep", "Kwame", "Mei", "Jorge", "Ana",
    "Daniel", "Grace", "Hiroshi", "Ibrahim", "Joseph", "Khadija", "Luis", "Nadia", "Omar",
]  # fmt: skip
LAST = [
    "Okafor", "Silva", "Rahman", "Haddad", "Kovalenko", "Mendes", "Papadopoulos", "Sharma",
    "Nguyen", "Kowalski", "Demir", "Mensah", "Wang", "Garcia", "Ochieng", "Tanaka", "Bello",
    "Moreau", "Castillo", "Aziz", "Popescu", "Lindqvist", "Reyes", "Mukherjee", "Abebe",
]  # fmt: skip
TITLES = [
    "regional governor", "police spokesperson", "health minister", "fire service chief",
    "civil protection director", "mayor", "emergency services spokesman", "interior minister",
    "provincial disaster official", "hospital director", "district commissioner",
]  # fmt: skip
BODIES = [
    "the health ministry", "the interior ministry", "the national disaster agency",
    "police", "the fire service", "the Red Cross", "civil defence", "the regional government",
    "the emergencies ministry", "local officials", "state media", "the coast guard",
    "the provincial disaster management authority", "hospital officials",
]  # fmt: skip
OUTLETS = [
    "The Daily Ledger", "Global Wire", "Morning Courier", "Continental Press",
    "Harbour Times", "The Meridian", "World Desk", "Evening Herald", "Metro Dispatch",
    "The Observer Post", "Atlas News", "Pacific Chronicle",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

KINDS: dict[str, dict[str, list[str]]] = {
    "earthquake": {
        "event": ["earthquake", "quake", "tremor"],
        "what": ["a magnitude {mag} earthquake struck {place}",
                 "a shallow {mag}-magnitude quake shook {place}"],
        "cause": ["collapsed buildings", "falling masonry", "landslides set off by the quake"],
    },
    "flood": {
        "event": ["floods", "flash floods", "flooding"],
        "what": ["flash floods swept through {place}", "rivers burst their banks around {place}"],
        "cause": ["floodwaters", "collapsing homes", "being swept away"],
    },
    "wildfire": {
        "event": ["wildfire", "blaze", "forest fire"],
        "what": ["a wildfire driven by strong winds tore through {place}",
                 "flames swept into {place}"],
        "cause": ["the flames", "smoke inhalation", "burns"],
    },
    "storm": {
        "event": ["cyclone", "storm", "typhoon", "tornado"],
        "what": ["a powerful storm made landfall near {place}", "a tornado ripped through {place}"],
        "cause": ["falling trees", "flying debris", "storm surge"],
    },
    "shooting": {
        "event": ["shooting", "attack", "gun attack"],
        "what": ["a gunman opened fire in {place}", "gunmen attacked a crowded venue in {place}"],
        "cause": ["gunshot wounds"],
    },
    "bombing": {
        "event": ["bombing", "blast", "explosion"],
        "what": ["a car bomb exploded in {place}", "a suicide bomber struck a market in {place}"],
        "cause": ["the blast"],
    },
    "strike": {
        "event": ["strike", "missile strike", "air strike", "drone attack"],
        "what": ["a missile hit a residential building in {place}",
                 "air strikes pounded {place} overnight"],
        "cause": ["the strike", "collapsing walls"],
    },
    "train_crash": {
        "event": ["train crash", "derailment", "collision"],
        "what": ["a passenger train derailed near {place}", "two trains collided outside {place}"],
        "cause": ["the impact"],
    },
    "bus_crash": {
        "event": ["bus crash", "accident", "crash"],
        "what": ["a crowded bus plunged into a ravine near {place}",
                 "a bus collided with a fuel truck outside {place}"],
        "cause": ["the crash"],
    },
    "plane_crash": {
        "event": ["plane crash", "crash", "air disaster"],
        "what": ["a passenger plane crashed on approach to {place}",
                 "a small aircraft went down shortly after take-off from {place}"],
        "cause": ["the crash"],
    },
    "ferry": {
        "event": ["ferry disaster", "capsizing", "sinking"],
        "what": ["an overloaded ferry capsized off {place}", "a passenger boat sank near {place}"],
        "cause": ["drowning"],
    },
    "building_collapse": {
        "event": ["collapse", "building collapse"],
        "what": ["a residential block collapsed in {place}",
                 "a building under construction caved in in {place}"],
        "cause": ["falling concrete"],
    },
    "mine_accident": {
        "event": ["mine disaster", "mine collapse", "mine explosion"],
        "what": ["a methane explosion tore through a coal mine near {place}",
                 "a gold mine shaft caved in near {place}"],
        "cause": ["the explosion", "falling rock"],
    },
    "industrial_explosion": {
        "event": ["explosion", "factory blast", "plant explosion"],
        "what": ["an explosion ripped through a chemical plant in {place}",
                 "a boiler exploded at a factory in {place}"],
        "cause": ["the blast", "burns"],
    },
    "stampede": {
        "event": ["stampede", "crush", "crowd surge"],
        "what": ["a crowd surged towards the gates of a stadium in {place}",
                 "a stampede broke out at a religious festival in {place}"],
        "cause": ["being crushed"],
    },
    "heatwave": {
        "event": ["heatwave", "heat wave", "extreme heat"],
        "what": ["temperatures above {temp}C gripped {place}",
                 "a prolonged heatwave settled over {place}"],
        "cause": ["heatstroke", "dehydration"],
    },
    "landslide": {
        "event": ["landslide", "mudslide", "landslip"],
        "what": ["a landslide buried homes in {place}", "a mudslide swept through {place}"],
        "cause": ["the mud", "falling rocks"],
    },
}  # fmt: skip

GROUP = {
    "earthquake": "nature", "flood": "nature", "storm": "nature", "landslide": "nature",
    "wildfire": "nature", "heatwave": "nature", "shooting": "violence", "bombing": "violence",
    "strike": "war", "train_crash": "transport", "bus_crash": "transport",
    "plane_crash": "transport", "ferry": "transport", "building_collapse": "industry",
    "mine_accident": "industry", "industrial_explosion": "industry", "stampede": "industry",
}  # fmt: skip

# Filler sentences: background, reactions, quotes and numbers that are not casualty figures.
FILLER: dict[str, list[str]] = {
    "any": [
        "{city}, a city of about {huge} people, lies {big} km from the capital and is a "
        "regional centre for trade.",
        "\u201cWe heard a terrible noise and then everything went dark,\u201d said {who}, "
        "{age}, a shopkeeper who lives nearby.",
        "The government said it had released {big} million in emergency funds and deployed "
        "{thousands} police officers and rescue workers.",
        "The prime minister declared {small} days of national mourning and cut short a visit "
        "abroad to return to {country}.",
        "Neighbouring governments offered help, and a team of {mid} specialists arrived on "
        "{day} with search equipment.",
        "The opposition called for an inquiry, and {mid} members of parliament signed a "
        "letter demanding the resignation of the minister responsible.",
        "Schools in {city} will remain closed until {day}, the education department said.",
        "\u201cEveryone here has lost someone or knows someone who has,\u201d {who} said, "
        "standing outside a hospital where families waited for news.",
        "Hospitals in {near} sent {mid} ambulances, and blood banks appealed for donors of "
        "all groups.",
        "The United Nations said it stood ready to assist and that its country team had "
        "{big} staff on the ground.",
        "Officials warned that the toll could rise as teams reach remote areas, some of which "
        "are {small} hours by road from {city}.",
        "On social media, people shared photographs of missing relatives and posted phone "
        "numbers for volunteers to call.",
        "A spokesman for the president said a {small}-member commission would report within "
        "{mid} days.",
        "Relatives gathered outside the morgue in {city} on {day}, some of them having "
        "travelled overnight from {near}.",
        "The {event} dominated front pages across {country} on {day}, and several newspapers "
        "ran the names of the dead.",
        "Funeral prayers were held on {day} in {district}, where shops stayed shut as a mark "
        "of respect.",
        "\u201cThe priority now is to look after the families,\u201d said {who}, a local "
        "councillor, who said {big} households had asked for help.",
        "The mayor of {city} said the municipality would cover burial costs and provide "
        "temporary housing for {big} families.",
        "Opposition leader {who} accused the government of a slow response, saying help "
        "reached {district} only after {small} hours.",
        "Telephone networks in {city} were overloaded for several hours, and the operator "
        "said it had restored {mid} percent of its service by evening.",
        "Foreign embassies said they were checking whether any of their citizens were among "
        "the victims; none had been identified by {day}.",
        "The interior ministry set up a hotline and said it had received more than "
        "{thousands} calls in the first {small} hours.",
    ],
    "nature": [
        "The last comparable disaster in {country} was in {year}, when {big} people were "
        "killed; officials said warning systems had been improved since then.",
        "More than {thousands} people spent the night in temporary shelters, schools and "
        "mosques, and {big} homes were damaged.",
        "Forecasters expect temperatures of around {temp}C in the coming days, with up to "
        "{mid} mm of rain possible in some areas.",
        "Roads into {district} were blocked for {mid} hours, delaying the arrival of "
        "ambulances and heavy machinery.",
        "Aid agencies said clean water was the most urgent need; one charity said it had "
        "sent {mid} lorries carrying tents, blankets and food.",
        "Scientists say such events have become more frequent; a study published in {year} "
        "found the risk had roughly doubled over {mid} years.",
        "Insurers estimated the damage at {big} million dollars, making it one of the "
        "costliest events in the region since {year}.",
        "The region has a history of such disasters, and a {year} report recommended "
        "relocating {mid} villages, a plan that was never carried out.",
        "Farmers said {thousands} hectares of crops had been destroyed and that {big} head of "
        "cattle were lost.",
        "Power was cut to about {thousands} homes, and the utility said repairs could take "
        "{small} days.",
    ],
    "violence": [
        "The attack was the deadliest in {city} since {year}, when {big} people were killed "
        "in a series of bombings.",
        "Security forces sealed off {district} and set up {mid} checkpoints on roads out of "
        "the city.",
        "No group immediately claimed responsibility, but officials pointed to a faction "
        "that has carried out {mid} attacks in the region since {year}.",
        "Police said the suspect, aged {age}, had been arrested in {near} on {day} and that "
        "{small} weapons had been seized.",
        "Witnesses said the attack lasted about {small} minutes before police arrived.",
        "Investigators recovered {big} fragments and {small} unexploded devices from the "
        "scene, a security source said.",
        "The government announced {small} days of mourning and promised {big} million in "
        "compensation for the families.",
        "Rights groups said at least {thousands} civilians had been displaced from "
        "{district} since the start of the year.",
    ],
    "war": [
        "The military said it had intercepted {mid} of the {mid} drones and {small} missiles "
        "launched overnight.",
        "Air raid sirens sounded across the region for {small} hours, and residents of {city} "
        "spent the night in shelters and metro stations.",
        "Rescuers worked under the threat of a second strike, which officials said was a "
        "common tactic; {small} rescue workers were killed in a similar attack in {year}.",
        "Satellite images showed that {big} buildings in {district} had been damaged or "
        "destroyed since the start of the offensive.",
        "Aid convoys carrying {mid} lorries of food and medicine were waiting at the "
        "crossing near {near}, the UN said.",
        "The foreign ministry summoned the ambassador and said it would raise the strike at "
        "the UN Security Council, which has {mid} members' statements pending.",
    ],
    "transport": [
        "The vehicle was carrying {mid} passengers, {small} more than it was licensed to "
        "carry, according to the operator.",
        "Investigators recovered the data recorder and will examine whether the speed, "
        "about {big} km/h, was a factor.",
        "The route between {city} and {near}, about {big} km long, is one of the busiest in "
        "{country}.",
        "The operator, which runs {big} services a week, said it was cooperating fully with "
        "the investigation.",
        "Transport safety campaigners noted that the country recorded {thousands} road "
        "deaths in {year}, one of the highest rates in the region.",
        "The last serious accident on the line was in {year}, when {mid} people died near {near}.",
        "Services between {city} and {near} were suspended for {small} days while engineers "
        "inspected the tracks and bridges.",
        "The transport minister said {mid} inspectors would be sent to check similar "
        "vehicles, boats and aircraft across {country}.",
    ],
    "industry": [
        "The site employs about {thousands} people and was fined {big} thousand dollars in "
        "{year} for safety violations.",
        "Inspectors had flagged {mid} problems at the site in {year}, but the owner said all "
        "of them had been fixed.",
        "Police arrested {small} people on suspicion of negligence, including the owner of "
        "the site, a {age}-year-old businessman.",
        "Engineers will inspect {big} buildings in the area over the next {small} weeks "
        "before residents are allowed to return.",
        "Labour unions called a {small}-hour strike to protest against working conditions, "
        "saying {mid} similar accidents had been reported since {year}.",
        "The company said production at its {small} other sites would continue, and its "
        "shares fell {small} percent on {day}.",
        "Organisers said {thousands} tickets had been sold for a venue built for half that number.",
        "A similar accident in {year} killed {mid} people, after which the government "
        "promised tighter inspections.",
    ],
}

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]  # fmt: skip
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return TENS[t] + ("-" + ONES[o] if o else "")
    return f"{n:,}"


# --------------------------------------------------------------------------- builder


class _Article:
    def __init__(self, rng: random.Random, idx: int, seed: int) -> None:
        self.rng = rng
        self.idx = idx
        self.seed = seed
        self.kind = rng.choice(list(KINDS))
        self.spec = KINDS[self.kind]
        self.city, self.country = rng.choice(CITIES)
        same = [c for c, k in CITIES if k == self.country and c != self.city]
        self.near = rng.choice(same) if same else rng.choice(CITIES)[0]
        self.templates = FILLER[GROUP[self.kind]] + FILLER["any"]
        self.deck: list[int] = []
        self.district = rng.choice(DISTRICTS)
        base = datetime(2023, 1, 1, tzinfo=UTC)
        self.published = base + timedelta(
            days=rng.randrange(0, 1000), hours=rng.randrange(5, 23), minutes=rng.randrange(60)
        )
        self.event_day = WEEKDAYS[(self.published.weekday() - rng.randint(0, 2)) % 7]
        self.killed = self._figure()
        self.injured = max(0, int(self.killed * rng.uniform(0.5, 4.0)) + rng.randint(0, 20))
        self.missing = rng.choice([0, 0, rng.randint(2, 9), rng.randint(5, 80)])
        self.official = (
            f"{rng.choice(TITLES)} {rng.choice(FIRST)} {rng.choice(LAST)}",
            rng.choice(BODIES),
        )

    def _figure(self) -> int:
        r = self.rng.random()
        if r < 0.35:
            return self.rng.randint(1, 12)
        if r < 0.8:
            return self.rng.randint(13, 120)
        if r < 0.95:
            return self.rng.randint(121, 900)
        return self.rng.randint(1000, 9000)

    def num(self, n: int, start: bool = False) -> str:
        if n < 100 and self.rng.random() < (0.8 if start else 0.3):
            w = words(n)
            return w[0].upper() + w[1:] if start else w
        return f"A total of {n:,}" if start else f"{n:,}"

    def pick(self, options: list[str]) -> str:
        return self.rng.choice(options)

    # -- paragraphs -----------------------------------------------------------

    def title(self) -> str:
        ev = self.pick(self.spec["event"])
        k = self.killed
        return self.pick([
            f"{ev.capitalize()} in {self.city} kills {k}",
            f"Death toll from {self.city} {ev} rises to {k}",
            f"At least {k} dead after {ev} hits {self.country}",
            f"{self.country}: {ev} leaves {k} dead, {self.injured} injured",
            f"Rescuers search for survivors after {self.city} {ev}",
        ])  # fmt: skip

    def lede(self) -> str:
        what = self.pick(self.spec["what"]).format(
            place=f"{self.city}, {self.country}",
            mag=round(self.rng.uniform(5.0, 7.9), 1),
            temp=self.rng.randint(42, 50),
        )
        q = self.pick(["at least ", "", "more than ", ""])
        return (
            f"{what[0].upper() + what[1:]} on {self.event_day}, killing {q}"
            f"{self.num(self.killed)} people and injuring {self.num(self.injured)}, "
            f"{self.official[1]} said."
        )

    def toll_paragraphs(self) -> list[str]:
        rng, k, inj, miss = self.rng, self.killed, self.injured, self.missing
        name, body = self.official
        ev = self.pick(self.spec["event"])
        out = [
            self.pick([
                f"The death toll from the {ev} rose to {k:,} on {self.event_day} evening, "
                f"{body} said, adding that {inj:,} people had been taken to hospital.",
                f"Officials put the toll at {k:,}, with {inj:,} people treated for injuries "
                f"in hospitals across {self.city} and {self.near}.",
                f"{self.num(k, start=True)} people lost their lives and {self.num(inj)} were "
                f"hurt, according to {body}.",
                f"By {self.event_day} night {k:,} deaths had been confirmed, the {name} "
                f"told reporters. \u201cThe number of injured stands at {inj:,},\u201d "
                f"{name.split()[-1]} said.",
            ])
        ]  # fmt: skip
        if miss:
            out.append(self.pick([
                f"A further {self.num(miss)} people remain unaccounted for, and rescue teams "
                f"with sniffer dogs were searching {self.district}.",
                f"{self.num(miss, start=True)} people were still missing on {self.event_day}, "
                f"{body} said.",
                f"\u201cWe are still looking for {miss} people,\u201d said the {name}.",
            ]))  # fmt: skip
        if k > 12 and rng.random() < 0.6:
            a = rng.randint(1, k // 2)
            b = rng.randint(0, k - a)
            c = k - a - b
            out.append(
                f"Of the dead, {a:,} were in {self.city}, {b:,} in {self.near} and {c:,} in "
                f"{self.district}, according to a breakdown released by {body}."
            )
        if rng.random() < 0.4:
            earlier = max(1, k - rng.randint(1, max(1, k // 2)))
            out.append(
                f"The figure was revised upwards from {earlier:,} announced earlier in the day, "
                f"after rescuers recovered more bodies from {self.district}."
            )
        if rng.random() < 0.3:
            out.append(
                f"Local media reported that as many as {int(k * 1.5) + 5:,} people may have "
                f"died, though officials said the figure could not be verified."
            )
        cause = self.pick(self.spec["cause"])
        out.append(f"Most of the victims died from {cause}, medics said.")
        return out

    def filler(self) -> str:
        text = self._filler_sentence()
        if self.rng.random() < 0.35:
            text += " " + self._filler_sentence()
        return text

    def _filler_sentence(self) -> str:
        rng = self.rng
        if not self.deck:
            self.deck = list(range(len(self.templates)))
            rng.shuffle(self.deck)
        template = self.templates[self.deck.pop()]
        return template.format(
            city=self.city,
            country=self.country,
            near=self.near,
            district=self.district,
            day=rng.choice(WEEKDAYS),
            year=rng.randint(1950, 2021),
            who=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            age=rng.randint(19, 84),
            small=rng.randint(2, 12),
            mid=rng.randint(13, 95),
            big=rng.randint(100, 990),
            thousands=f"{rng.randint(2, 95) * 1000:,}",
            huge=f"{rng.randint(2, 90) * 100_000:,}",
            temp=rng.randint(12, 38),
            event=rng.choice(self.spec["event"]),
        )

    def build(self) -> dict[str, object]:
        rng = self.rng
        n_par = rng.randint(12, 30)
        target = min(5700, max(3300, n_par * rng.randint(170, 270)))
        core = [self.lede(), *self.toll_paragraphs()]
        paras = core[:1]
        fillers_needed = max(0, n_par - len(core))
        tolls = core[1:]
        # interleave tolls among the first half, fillers elsewhere
        for i in range(fillers_needed + len(tolls)):
            if tolls and (i % 2 == 0 or i >= fillers_needed):
                paras.append(tolls.pop(0))
            else:
                paras.append(self.filler())
        while tolls:
            paras.append(tolls.pop(0))
        size = sum(len(p) + 1 for p in paras)
        # grow short articles by lengthening filler, shrink long ones by trimming the tail
        guard = 0
        while size < target and guard < 200:
            i = min(rng.sample(range(1, len(paras)), 3), key=lambda j: len(paras[j]))
            extra = " " + self.filler()
            paras[i] += extra
            size += len(extra)
            guard += 1
        while size > 6000 and len(paras) > 12:
            size -= len(paras.pop()) + 1
        text = "\n".join(paras)
        if len(text) > 6000:
            text = text[:6000].rsplit(". ", 1)[0] + "."
        return {
            "id": f"bench-{self.seed}-{self.idx:06d}",
            "title": self.title(),
            "text": text,
            "published_at": self.published.isoformat(),
            "outlet": rng.choice(OUTLETS),
        }


def generate(n: int, seed: int = 0) -> list[dict[str, object]]:
    """``n`` synthetic articles, deterministic for a given ``seed``; ids are unique."""
    rng = random.Random(seed)
    return [_Article(rng, i, seed).build() for i in range(n)]


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print("usage: python bench/corpus.py N OUT.jsonl [SEED]", file=sys.stderr)
        return 2
    n, out = int(argv[1]), argv[2]
    seed = int(argv[3]) if len(argv) == 4 else 0
    with open(out, "w", encoding="utf-8") as fh:
        for art in generate(n, seed):
            fh.write(json.dumps(art, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
