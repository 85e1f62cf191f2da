"""The fixed part of the demo ecosystem: regions, fields, universities, institutes, experts.

Built once per run and shared by the enterprise blocks (:mod:`kg.demo.firms`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from kg.demo import names
from kg.demo.regions import DEMO_PROVINCE, Regions, demo_regions, short_name
from kg.demo.sink import CsvSink
from kg.demo.universities import university_fields, university_types

YEAR = 2025  # the demo's "now": data runs up to this year, whatever today's date
QUALIFICATIONS = [
    "high_tech_enterprise",
    "tech_sme",
    "specialised_sme",
    "little_giant",
    "innovative_leader",
    "private_tech_enterprise",
    "gazelle",
]


def load_fields() -> list[dict]:
    """The field taxonomy of ``schema/fields.yaml``: ``[{id, name, keywords, children: [...]}]``."""
    text = resources.files("kg.schema").joinpath("fields.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["fields"]


@dataclass
class World:
    rng: np.random.Generator
    scale: float
    regions: Regions
    subfields: list[dict]
    keywords: dict[str, list[str]]
    field_name: dict[str, str]
    #: academic organisations (universities then institutes): arrays aligned by position
    org_ids: list[str] = field(default_factory=list)
    org_types: list[str] = field(default_factory=list)
    org_names: list[str] = field(default_factory=list)
    org_region: list[str] = field(default_factory=list)
    org_fields: list[set] = field(default_factory=list)
    org_strength: list[float] = field(default_factory=list)
    experts_by_org: dict[int, list[str]] = field(default_factory=dict)
    expert_names: dict[str, str] = field(default_factory=dict)
    academicians: list[tuple[str, int]] = field(default_factory=list)  # (person id, org position)
    achievements_by_field: dict[str, list[str]] = field(default_factory=dict)
    parks_by_county: dict[str, list[str]] = field(default_factory=dict)
    incubators_by_county: dict[str, list[str]] = field(default_factory=dict)
    vc_ids: list[str] = field(default_factory=list)
    award_ids: list[str] = field(default_factory=list)
    _weights: dict = field(default_factory=dict)

    def partner_weights(self, subfield: str, county: str) -> np.ndarray:
        """Sampling weights over academic organisations for a firm: popularity x field fit x locality."""
        key = (subfield, county[:4])
        w = self._weights.get(key)
        if w is None:
            parent = subfield[:3]
            fit = np.array(
                [8.0 if subfield in f else 3.0 if any(x[:3] == parent for x in f) else 0.4 for f in self.org_fields]
            )
            region = np.array(self.org_region)
            geo = np.where(
                np.char.startswith(region.astype(str), county[:4]),
                8.0,
                np.where(np.char.startswith(region.astype(str), county[:2]), 4.0, 1.0),
            )
            w = np.asarray(self.org_strength, dtype=float) * fit * geo
            w = w / w.sum()
            self._weights[key] = w
        return w


def build_world(sink: CsvSink, rng: np.random.Generator, scale: float) -> World:
    """Write the fixed actors and return what the enterprise blocks need."""
    taxonomy = load_fields()
    subfields = [c for f in taxonomy for c in f["children"]]
    w = World(
        rng=rng,
        scale=scale,
        regions=demo_regions(scale),
        subfields=subfields,
        keywords={c["id"]: list(c["keywords"]) for c in subfields},
        field_name={**{f["id"]: f["name"] for f in taxonomy}, **{c["id"]: c["name"] for c in subfields}},
    )
    _fields(sink, taxonomy)
    _regions(sink, w.regions)
    sink.write(
        "Qualification",
        [
            {
                "id": q,
                "name": sink.schema.enums["QualificationKind"].values[q],
                "qualification_kind": q,
                "level": "national" if q in ("high_tech_enterprise", "little_giant") else "provincial",
            }
            for q in QUALIFICATIONS
        ],
    )
    _universities(sink, w)
    _institutes(sink, w)
    _experts(sink, w)
    _achievements(sink, w)
    _parks_and_incubators(sink, w)
    _service_orgs_and_awards(sink, w)
    return w


def _fields(sink: CsvSink, taxonomy: list[dict]) -> None:
    sink.write(
        "Field", [{"id": f["id"], "name": f["name"], "field_level": 1, "keywords": f["keywords"]} for f in taxonomy]
    )
    sink.write(
        "Field",
        [
            {"id": c["id"], "name": c["name"], "field_level": 2, "keywords": c["keywords"]}
            for f in taxonomy
            for c in f["children"]
        ],
    )
    sink.write("SUBFIELD_OF", [{"from_id": c["id"], "to_id": f["id"]} for f in taxonomy for c in f["children"]])


def _regions(sink: CsvSink, regions: Regions) -> None:
    levels = {"province": "province", "city": "city", "county": "county"}
    rows = regions.all()
    sink.write("Region", [{"id": r.code, "name": r.name, "region_level": levels[r.level]} for r in rows.itertuples()])
    sink.write(
        "PART_OF",
        [
            {"from_id": r.code, "to_id": regions.parent(r.code), "from_type": "Region"}
            for r in rows.itertuples()
            if regions.parent(r.code)
        ],
    )


def _universities(sink: CsvSink, w: World) -> None:
    path = resources.files("kg.demo").joinpath("data", "universities.csv")
    with path.open("r", encoding="utf-8") as fh:
        unis = pd.read_csv(fh, dtype=str).fillna("")
    province_codes = set(w.regions.provinces["code"])
    in_scope = (unis["学校标识码"].str[2:4] + "0000").isin(province_codes)
    national = (unis["主管部门"] == "教育部") & (unis["办学层次"] == "本科")
    unis = unis[in_scope | national].reset_index(drop=True)
    city_codes = dict(zip(w.regions.cities["name"], w.regions.cities["code"]))
    rows, located, infield = [], [], []
    region_ids = set(w.regions.all()["code"])
    types = university_types()
    for u in unis.itertuples(index=False):
        code, name, authority, city, level = u[2], u[1], u[3], u[4], u[5]
        province = code[2:4] + "0000"
        region = city_codes.get(city) or (province if province in region_ids else None)
        picks = university_fields(name, types.get(name), w.rng, w.subfields)
        strength = (
            (2.5 if authority == "教育部" else 1.0) * (1.0 if level == "本科" else 0.3) * float(w.rng.lognormal(0, 1.0))
        )
        rows.append(
            {
                "id": code,
                "name": name,
                "school_level": level,
                "authority": authority,
                "city": city,
                "region": region,
                "disciplines": [w.field_name[f] for f in sorted(picks)],
                "source": "全国高等学校名单 (教育部, 2025-06-20)",
            }
        )
        if region:
            located.append({"from_id": code, "to_id": region, "from_type": "University", "to_type": "Region"})
        infield += [{"from_id": code, "to_id": f, "from_type": "University", "weight": 1.0} for f in sorted(picks)]
        w.org_ids.append(code)
        w.org_types.append("University")
        w.org_names.append(name)
        w.org_region.append(region or "000000")
        w.org_fields.append(picks)
        w.org_strength.append(strength)
    sink.write("University", rows)
    sink.write("LOCATED_IN", located)
    sink.write("IN_FIELD", infield)


def _institutes(sink: CsvSink, w: World) -> None:
    n = max(6, round(12 * w.scale))
    counties = w.regions.counties
    kinds = ["research_institute", "new_rd_institution", "industrial_technology_institute", "branch_institute"]
    rows, located, infield = [], [], []
    for i in range(n):
        sub = w.subfields[int(w.rng.integers(len(w.subfields)))]
        county = counties.iloc[int(w.rng.integers(len(counties)))]
        city = short_name(w.regions.cities.set_index("code")["name"].get(county["code"][:4] + "00", county["name"]))
        kind = kinds[int(w.rng.choice(4, p=[0.4, 0.3, 0.2, 0.1]))]
        suffix = {
            "research_institute": "研究所",
            "new_rd_institution": "创新研究院",
            "industrial_technology_institute": "产业技术研究院",
            "branch_institute": "技术研究中心",
        }[kind]
        rid = f"RI{i + 1:05d}"
        name = f"{city}{sub['name'].replace('技术', '')}{suffix}" if i >= 1 else f"{city}产业技术研究院"
        name = name if name not in w.org_names else f"{city}{short_name(county['name'])}{sub['name']}{suffix}"
        rows.append(
            {
                "id": rid,
                "name": name,
                "institute_kind": kind,
                "region": county["code"],
                "level": "provincial" if w.rng.random() < 0.3 else "municipal",
            }
        )
        located.append({"from_id": rid, "to_id": county["code"], "from_type": "ResearchInstitute", "to_type": "Region"})
        infield.append({"from_id": rid, "to_id": sub["id"], "from_type": "ResearchInstitute", "weight": 1.0})
        w.org_ids.append(rid)
        w.org_types.append("ResearchInstitute")
        w.org_names.append(name)
        w.org_region.append(county["code"])
        w.org_fields.append({sub["id"]})
        w.org_strength.append(float(w.rng.lognormal(0.3, 0.5)))
    sink.write("ResearchInstitute", rows)
    sink.write("LOCATED_IN", located)
    sink.write("IN_FIELD", infield)


def _experts(sink: CsvSink, w: World) -> None:
    rows, aff, infield = [], [], []
    k = 0
    for pos, org in enumerate(w.org_ids):
        if not w.org_fields[pos]:  # no technology field (arts, sports, ... schools): no experts in the graph
            continue
        strength = w.org_strength[pos]
        n = 1 + int(min(12, w.rng.poisson(2 + 2 * strength)))
        for _ in range(n):
            k += 1
            pid = f"P{k:06d}"
            sub = sorted(w.org_fields[pos])[int(w.rng.integers(len(w.org_fields[pos])))]
            academician = w.rng.random() < 0.02 * strength
            roles = ["cas_academician" if w.rng.random() < 0.5 else "cae_academician"] if academician else ["expert"]
            if not academician and w.rng.random() < 0.15:
                roles.append("sci_tech_commissioner")
            name = names.person_name(w.rng)
            kws = list(w.rng.choice(w.keywords[sub], size=3, replace=False))
            rows.append(
                {
                    "id": pid,
                    "name": name,
                    "job_title": "教授" if academician else names.pick(w.rng, names.TITLES),
                    "roles": roles,
                    "expertise": "、".join(kws),
                    "birth_year": int(w.rng.integers(1950, 1990)),
                }
            )
            aff.append(
                {
                    "from_id": pid,
                    "to_id": org,
                    "to_type": w.org_types[pos],
                    "position": "院士" if academician else "研究人员",
                }
            )
            infield.append({"from_id": pid, "to_id": sub, "from_type": "Person", "weight": 1.0})
            w.experts_by_org.setdefault(pos, []).append(pid)
            w.expert_names[pid] = name
            if academician:
                w.academicians.append((pid, pos))
    sink.write("Person", rows)
    sink.write("AFFILIATED_WITH", aff)
    sink.write("IN_FIELD", infield)


def _achievements(sink: CsvSink, w: World) -> None:
    rows, owns, infield = [], [], []
    maturity = ["laboratory", "pilot", "pilot_plant", "industrialised"]
    k = 0
    for pos, org in enumerate(w.org_ids):
        if not w.org_fields[pos]:
            continue
        for _ in range(int(w.rng.poisson(1.5 * w.org_strength[pos]))):
            k += 1
            aid = f"A{k:06d}"
            sub = sorted(w.org_fields[pos])[int(w.rng.integers(len(w.org_fields[pos])))]
            m = maturity[int(w.rng.integers(4))]
            text = names.fill(
                w.rng,
                names.ACHIEVEMENT_TEMPLATES,
                w.keywords[sub],
                field=w.field_name[sub],
                maturity=sink.schema.enums["Maturity"].values[m],
            )
            kws = [kw for kw in w.keywords[sub] if kw in text]
            rows.append(
                {
                    "id": aid,
                    "name": f"{kws[0] if kws else w.field_name[sub]}关键技术及应用",
                    "description": text,
                    "keywords": kws,
                    "maturity": m,
                    "year": int(w.rng.integers(2016, YEAR + 1)),
                }
            )
            owns.append({"from_id": org, "to_id": aid, "from_type": w.org_types[pos]})
            experts = w.experts_by_org.get(pos)
            if experts:
                owns.append(
                    {"from_id": experts[int(w.rng.integers(len(experts)))], "to_id": aid, "from_type": "Person"}
                )
            infield.append({"from_id": aid, "to_id": sub, "from_type": "Achievement", "weight": 1.0})
            w.achievements_by_field.setdefault(sub, []).append(aid)
    sink.write("Achievement", rows)
    sink.write("OWNS", owns)
    sink.write("IN_FIELD", infield)


def _parks_and_incubators(sink: CsvSink, w: World) -> None:
    parks, inc, located, part_of, operates = [], [], [], [], []
    city_names = dict(zip(w.regions.cities["code"], w.regions.cities["name"]))
    kinds = [
        "economic_development_zone",
        "industrial_park",
        "agricultural_sci_tech_park",
        "characteristic_industry_base",
    ]
    kind_names = {
        "economic_development_zone": "经济开发区",
        "industrial_park": "工业园区",
        "agricultural_sci_tech_park": "农业科技园区",
        "characteristic_industry_base": "特色产业基地",
    }
    p = i = 0
    for city_code, city_name in city_names.items():
        p += 1
        pid = f"PK{p:05d}"
        counties = w.regions.counties[w.regions.counties["code"].str[:4] == city_code[:4]]
        host = counties.iloc[0]["code"] if len(counties) else city_code
        parks.append(
            {
                "id": pid,
                "name": f"{short_name(city_name)}高新技术产业开发区",
                "park_kind": "high_tech_zone",
                "level": "provincial" if w.rng.random() < 0.7 else "national",
                "region": host,
                "area_km2": round(float(w.rng.uniform(10, 60)), 1),
            }
        )
        part_of.append({"from_id": pid, "to_id": host, "from_type": "Park"})
        w.parks_by_county.setdefault(host, []).append(pid)
    for county in w.regions.counties.itertuples():
        for _ in range(1 + int(w.rng.random() < 0.5)):
            p += 1
            pid = f"PK{p:05d}"
            kind = kinds[int(w.rng.integers(len(kinds)))]
            parks.append(
                {
                    "id": pid,
                    "name": f"{short_name(county.name)}{kind_names[kind]}"
                    if pid not in w.parks_by_county.get(county.code, [])
                    else "",
                    "park_kind": kind,
                    "level": "municipal" if w.rng.random() < 0.6 else "county",
                    "region": county.code,
                    "area_km2": round(float(w.rng.uniform(2, 20)), 1),
                }
            )
            if any(x["name"] == parks[-1]["name"] for x in parks[:-1]):
                parks[-1]["name"] = (
                    f"{short_name(county.name)}{names.pick(w.rng, names.BRAND_1)}{names.pick(w.rng, names.BRAND_2)}{kind_names[kind]}"
                )
            part_of.append({"from_id": pid, "to_id": county.code, "from_type": "Park"})
            w.parks_by_county.setdefault(county.code, []).append(pid)
        for _ in range(max(1, int(w.rng.poisson(1.5)))):
            i += 1
            iid = f"IN{i:05d}"
            kind = ["incubator", "maker_space", "star_space", "accelerator"][
                int(w.rng.choice(4, p=[0.45, 0.35, 0.12, 0.08]))
            ]
            title = sink.schema.enums["IncubatorKind"].values[kind]
            title = "科技企业孵化器" if kind == "incubator" else title
            inc.append(
                {
                    "id": iid,
                    "name": f"{short_name(county.name)}{names.pick(w.rng, names.BRAND_1)}{names.pick(w.rng, names.BRAND_2)}{title}",
                    "incubator_kind": kind,
                    "level": ["national", "provincial", "municipal"][int(w.rng.choice(3, p=[0.1, 0.3, 0.6]))],
                    "area_m2": float(int(w.rng.uniform(2000, 30000))),
                    "founded_year": int(w.rng.integers(2010, YEAR)),
                    "region": county.code,
                }
            )
            located.append({"from_id": iid, "to_id": county.code, "from_type": "Incubator", "to_type": "Region"})
            park = w.parks_by_county[county.code][0]
            operates.append({"from_id": park, "to_id": iid, "from_type": "Park"})
            w.incubators_by_county.setdefault(county.code, []).append(iid)
    sink.write("Park", parks)
    sink.write("PART_OF", part_of)
    sink.write("Incubator", inc)
    sink.write("LOCATED_IN", located)
    sink.write("OPERATES", operates)


def _service_orgs_and_awards(sink: CsvSink, w: World) -> None:
    kinds = list(sink.schema.enums["ServiceKind"].values)
    rows, located = [], []
    city = short_name(w.regions.cities.iloc[0]["name"])
    for i in range(max(5, round(10 * w.scale))):
        sid = f"SO{i + 1:05d}"
        kind = "venture_capital" if i % 3 == 0 else kinds[int(w.rng.integers(len(kinds)))]
        county = w.regions.counties.iloc[int(w.rng.integers(len(w.regions.counties)))]
        title = sink.schema.enums["ServiceKind"].values[kind]
        rows.append(
            {
                "id": sid,
                "name": f"{city}{names.pick(w.rng, names.BRAND_1)}{names.pick(w.rng, names.BRAND_2)}{title}有限公司",
                "service_kind": kind,
                "region": county["code"],
            }
        )
        located.append({"from_id": sid, "to_id": county["code"], "from_type": "ServiceOrg", "to_type": "Region"})
        if kind == "venture_capital":
            w.vc_ids.append(sid)
    sink.write("ServiceOrg", rows)
    sink.write("LOCATED_IN", located)
    province = w.regions.provinces.iloc[0]["name"] if w.regions.provinces["code"].iloc[0] == DEMO_PROVINCE else "省"
    awards: list[dict] = []
    for year in range(2018, YEAR + 1):
        for rank, level in (("一等奖", "provincial"), ("二等奖", "provincial"), ("三等奖", "municipal")):
            aid = f"AW{year}{len(awards) + 1:03d}"
            prefix = f"{province}科学技术奖" if level == "provincial" else f"{city}市科学技术进步奖"
            awards.append({"id": aid, "name": f"{year}年度{prefix}{rank}", "level": level, "year": year, "rank": rank})
            w.award_ids.append(aid)
    sink.write("Award", awards)
