"""Talent programmes, commissioners, events, county awards, listing and the newer qualifications of the demo.

These are what a bureau's plan counts beside firms and platforms (领军型人才, 科技特派员, 校企对接活动,
专利培训, 县级科技进步奖, 上市后备企业, 农业科技型企业 ...). They draw from their own random
generator, so adding them leaves every other row of the demo as it was for the same seed.

Examples
--------
>>> from kg.demo.programmes import event_name
>>> event_name("matchmaking", "大洼", 2025, 3)
'2025年大洼校企对接活动（第3场）'
"""

from __future__ import annotations

import numpy as np

from kg.demo import names
from kg.demo.regions import short_name
from kg.demo.sink import CsvSink
from kg.demo.world import YEAR, World

FIRST_YEAR = 2019
#: events per county and year (Poisson means at scale 1) and their titles
EVENT_RATES = {"matchmaking": 2.5, "training": 2.0, "expert_visit": 1.2, "enterprise_visit": 1.0}
EVENT_TITLES = {
    "matchmaking": "校企对接活动",
    "training": "专利培训班",
    "expert_visit": "专家教授行",
    "enterprise_visit": "企业高校行",
}
TALENT_ROLES = ["leading_talent", "innovative_talent", "entrepreneurial_talent"]
LISTING = ["reserve", "tutoring", "filing", "listed"]
#: sub-field prefixes of agriculture (the demo's 稻蟹 industry) and of energy saving / environment
AGRI_FIELDS = ("F02", "F0704")
ENERGY_FIELDS = ("F06", "F07")
#: share of a project's budget granted by its programme
FUNDING_SHARE = {"national": 0.6, "provincial": 0.5, "municipal": 0.4, "county": 0.3}


def event_name(kind: str, place: str, year: int, n: int) -> str:
    """The demo's name of the ``n``-th event of a kind in a county and year."""
    return f"{year}年{place}{EVENT_TITLES[kind]}（第{n}场）"


class Programmes:
    """Writes the fixed part on creation; :meth:`firm` adds a firm's share; :meth:`finish` the rest."""

    def __init__(self, sink: CsvSink, world: World, rng: np.random.Generator) -> None:
        self.sink, self.w, self.rng = sink, world, rng
        self.events_by_county: dict[str, list[tuple[str, int]]] = {}
        self.county_awards: dict[str, list[tuple[str, int]]] = {}
        self.commissioners: list[str] = []
        self.talents = 0
        sink.write("Qualification", self.qualifications())
        self._events()
        self._county_awards()
        self._commissioners()

    # ---------------------------------------------------------------- fixed part
    def _events(self) -> None:
        w, rng = self.w, self.rng
        events, organises = [], []
        k = 0
        for county in w.regions.counties.itertuples():
            place = short_name(county.name)
            parks = w.parks_by_county.get(county.code, [])
            for year in range(FIRST_YEAR, YEAR + 1):
                for kind, rate in EVENT_RATES.items():
                    for n in range(1, 1 + int(rng.poisson(rate * min(1.0, max(w.scale, 0.25))))):
                        k += 1
                        eid = f"EV{k:06d}"
                        month, day = int(rng.integers(3, 12)), int(rng.integers(1, 29))
                        events.append(
                            {
                                "id": eid,
                                "name": event_name(kind, place, year, n),
                                "event_kind": kind,
                                "event_date": f"{year}-{month:02d}-{day:02d}",
                                "year": year,
                                "region": county.code,
                                "attendance": int(rng.integers(40, 300)) if kind == "training" else None,
                            }
                        )
                        if kind == "expert_visit" and w.org_ids:
                            pos = int(rng.integers(len(w.org_ids)))
                            organises.append({"from_id": w.org_ids[pos], "to_id": eid, "from_type": w.org_types[pos]})
                        elif parks:
                            organises.append({"from_id": parks[0], "to_id": eid, "from_type": "Park"})
                        self.events_by_county.setdefault(county.code, []).append((eid, year))
        self.sink.write("Event", events)
        self.sink.write("ORGANISES", organises)

    def _county_awards(self) -> None:
        rows = []
        for county in self.w.regions.counties.itertuples():
            for year in range(FIRST_YEAR, YEAR + 1):
                aid = f"AWC{county.code}{year}"
                rows.append(
                    {
                        "id": aid,
                        "name": f"{year}年度{short_name(county.name)}科学技术进步奖",
                        "level": "county",
                        "year": year,
                        "rank": "县级",
                    }
                )
                self.county_awards.setdefault(county.code, []).append((aid, year))
        self.sink.write("Award", rows)

    def _commissioners(self) -> None:
        """科技特派员 from the universities and institutes; some serve a township (their county's Region)."""
        w, rng = self.w, self.rng
        rows, aff, serves = [], [], []
        counties = list(w.regions.counties["code"])
        for k in range(max(6, round(60 * w.scale))):
            pid = f"PC{k + 1:06d}"
            pos = int(rng.integers(len(w.org_ids)))
            since = int(rng.integers(2016, YEAR + 1))
            rows.append(
                {
                    "id": pid,
                    "name": names.person_name(rng),
                    "job_title": names.pick(rng, names.TITLES),
                    "roles": ["sci_tech_commissioner", "expert"],
                    "talent_year": since,
                }
            )
            aff.append({"from_id": pid, "to_id": w.org_ids[pos], "to_type": w.org_types[pos], "position": "科技特派员"})
            if rng.random() < 0.4:
                serves.append(
                    {
                        "from_id": pid,
                        "to_id": counties[int(rng.integers(len(counties)))],
                        "to_type": "Region",
                        "since": since,
                        "until": since + 3,
                    }
                )
            self.commissioners.append(pid)
        self.sink.write("Person", rows)
        self.sink.write("AFFILIATED_WITH", aff)
        self.sink.write("SERVES", serves)

    # ---------------------------------------------------------------- per firm
    def moved_in(self, year0: int) -> int:
        """The year a firm moved into its park (入驻)."""
        return int(self.rng.integers(max(year0, 2010), YEAR + 1)) if year0 < YEAR else YEAR

    def firm(self, put, firm: dict, sub: str, year0: int, high_tech: bool) -> None:
        """A firm's qualifications, listing status, talents, commissioner, awards and events."""
        rng, fid, county = self.rng, firm["id"], firm["region"]
        big = firm["scale"] == "above_designated_size"

        def cert(q: str) -> None:
            year = int(rng.integers(max(year0 + 1, 2016), YEAR + 1)) if year0 < YEAR else YEAR
            put("CERTIFIED_AS", {"from_id": fid, "to_id": q, "year": year, "valid_until": year + 3})

        if sub.startswith(AGRI_FIELDS) and rng.random() < 0.5:
            cert("agri_tech_enterprise_municipal" if rng.random() < 0.7 else "agri_tech_enterprise_provincial")
            if rng.random() < 0.3:
                cert("sci_tech_cooperative_municipal")
        if big and sub.startswith(ENERGY_FIELDS) and rng.random() < 0.15:
            cert("energy_saving_demo_enterprise")
        if high_tech and big and rng.random() < 0.15:
            firm["listing_status"] = LISTING[int(rng.choice(4, p=[0.5, 0.25, 0.15, 0.1]))]
            firm["listing_year"] = int(rng.integers(max(year0 + 3, 2015), YEAR + 1)) if year0 + 3 <= YEAR else YEAR
        if (high_tech or big) and rng.random() < 0.12:
            self.talents += 1
            pid = f"PT{self.talents:06d}"
            put(
                "Person",
                {
                    "id": pid,
                    "name": names.person_name(rng),
                    "job_title": names.pick(rng, names.TITLES),
                    "roles": [TALENT_ROLES[int(rng.choice(3, p=[0.2, 0.45, 0.35]))]],
                    "talent_year": int(rng.integers(max(year0, 2018), YEAR + 1)) if year0 < YEAR else YEAR,
                },
            )
            put("AFFILIATED_WITH", {"from_id": pid, "to_id": fid, "to_type": "Enterprise", "position": "技术负责人"})
        if self.commissioners and rng.random() < 0.05:
            since = int(rng.integers(max(year0 + 1, 2016), YEAR + 1)) if year0 < YEAR else YEAR
            put(
                "SERVES",
                {
                    "from_id": self.commissioners[int(rng.integers(len(self.commissioners)))],
                    "to_id": fid,
                    "to_type": "Enterprise",
                    "since": since,
                    "until": since + 2,
                },
            )
        awards = self.county_awards.get(county)
        if awards and (high_tech or big) and rng.random() < 0.05:
            aid, year = awards[int(rng.integers(len(awards)))]
            if year > year0:
                put("WON", {"from_id": fid, "to_id": aid, "from_type": "Enterprise", "year": year})
        events = self.events_by_county.get(county)
        if events:
            attended = {events[int(rng.integers(len(events)))] for _ in range(int(rng.poisson(0.3)))}
            for eid, year in sorted(attended):
                if year > year0:
                    put("ATTENDS", {"from_id": fid, "to_id": eid, "from_type": "Enterprise"})

    def qualifications(self) -> list[dict]:
        """The newer qualifications, one node per kind and level (the level is the certifying one)."""
        titles = self.sink.schema.enums["QualificationKind"].values
        level_titles = {"municipal": "市级", "provincial": "省级"}
        rows = []
        for kind, level in (
            ("agri_tech_enterprise", "municipal"),
            ("agri_tech_enterprise", "provincial"),
            ("sci_tech_cooperative", "municipal"),
            ("energy_saving_demo_enterprise", "provincial"),
        ):
            qid = kind if kind == "energy_saving_demo_enterprise" else f"{kind}_{level}"
            rows.append(
                {"id": qid, "name": f"{level_titles[level]}{titles[kind]}", "qualification_kind": kind, "level": level}
            )
        return rows
