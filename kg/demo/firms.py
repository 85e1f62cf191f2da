"""Enterprises of the demo and everything hanging off them, written block by block.

Memory stays bounded at any scale: each block of firms is generated, written
and forgotten; only the fixed actors of :class:`~kg.demo.world.World` are
kept.  The structure is realistic on purpose, so matching and analytics have
something to find:

- heavy-tailed activity (Pareto) drives cooperations, patents, projects;
- partners are drawn by popularity x field fit (exact sub-field > same field)
  x locality (same city > same province);
- academician workstations tie a firm to the academician's institution;
- cooperations carry ``since`` years, so a back-test can hide recent ones.
"""

from __future__ import annotations

import numpy as np
from stdnum.cn import uscc as uscc_check

from kg.demo import names
from kg.demo.programmes import FUNDING_SHARE
from kg.demo.regions import short_name
from kg.demo.sink import CsvSink
from kg.demo.world import YEAR, World

#: sub-fields the demo city is strong in (the seeds' 石化/海工/稻蟹/环保 industries)
LOCAL_INDUSTRIES = {"F0404": 6, "F0804": 5, "F0705": 5, "F0805": 3, "F0204": 3, "F0701": 2, "F0703": 2, "F0403": 2}
SCALES = ["above_designated_size", "small", "micro"]
PLATFORMS = [
    "enterprise_technology_center",
    "engineering_research_center",
    "key_laboratory",
    "industrial_design_center",
    "postdoctoral_station",
]
PLATFORM_SUFFIX = {
    "enterprise_technology_center": "企业技术中心",
    "engineering_research_center": "工程技术研究中心",
    "key_laboratory": "重点实验室",
    "industrial_design_center": "工业设计中心",
    "postdoctoral_station": "博士后科研工作站",
}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def make_uscc(county: str, serial: int) -> str:
    """A well-formed 统一社会信用代码 (both check digits valid) for a firm of ``county``.

    Examples
    --------
    >>> from stdnum.cn import uscc
    >>> uscc.is_valid(make_uscc("211104", 42))
    True
    """
    body = f"{serial:08d}"[-8:]
    c9 = 11 - sum(int(d) * w for d, w in zip(body, _ORG_WEIGHTS)) % 11
    org = body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
    head = "91" + county + org
    return head + uscc_check.calc_check_digit(head)


class Counters(dict):
    def next(self, key: str) -> int:
        self[key] = self.get(key, 0) + 1
        return self[key]


def write_firms(sink: CsvSink, w: World, n_firms: int, block: int = 50_000, programmes=None) -> None:
    """Generate ``n_firms`` enterprises and their linkages into ``sink``.

    ``programmes`` (a :class:`kg.demo.programmes.Programmes`) adds each firm's talents, commissioners,
    events, county awards, listing status and newer qualifications from its own random stream.
    """
    rng = w.rng
    counties = list(w.regions.counties["code"])
    county_names: dict[str, str] = dict(zip(w.regions.counties["code"], w.regions.counties["name"]))
    city_names: dict[str, str] = dict(zip(w.regions.cities["code"], w.regions.cities["name"]))
    cw = rng.lognormal(0, 0.4, len(counties))
    cw /= cw.sum()
    subs = [s["id"] for s in w.subfields]
    sw = np.array([LOCAL_INDUSTRIES.get(s, 1.0) if w.scale <= 50 else 1.0 for s in subs])
    sw /= sw.sum()
    seen_names: set[str] = set()
    ctr = Counters()
    serial = 10_000_000 + int(rng.integers(1_000_000))
    for start in range(0, n_firms, block):
        m = min(block, n_firms - start)
        county_idx = rng.choice(len(counties), size=m, p=cw)
        sub_idx = rng.choice(len(subs), size=m, p=sw)
        activity = rng.pareto(1.8, size=m)
        scale_idx = rng.choice(3, size=m, p=[0.18, 0.37, 0.45])
        founded = np.minimum(YEAR - 1, 1992 + (rng.beta(2.2, 1.2, size=m) * 33).astype(int))
        out: dict[str, list] = {}

        def put(type_: str, row: dict, out: dict[str, list] = out) -> None:
            out.setdefault(type_, []).append(row)

        for i in range(m):
            county = counties[county_idx[i]]
            sub = subs[sub_idx[i]]
            act = float(activity[i])
            scale = SCALES[scale_idx[i]]
            serial += int(rng.integers(1, 97))
            fid = make_uscc(county, serial)
            city = short_name(city_names.get(county[:4] + "00", county_names[county]))
            name = names.company_name(rng, city if rng.random() < 0.6 else short_name(county_names[county]), sub)
            if w.scale <= 20:
                while name in seen_names:
                    name = names.company_name(rng, short_name(county_names[county]), sub)
                seen_names.add(name)
            trade = next((t for t in names.TRADE[sub] if t in name), names.TRADE[sub][0])
            employees = int(
                {
                    "above_designated_size": rng.integers(80, 2000),
                    "small": rng.integers(15, 120),
                    "micro": rng.integers(3, 20),
                }[scale]
            )
            revenue = round(float(employees * rng.lognormal(3.2, 0.6)), 1)
            year0 = int(founded[i])
            firm = {
                "id": fid,
                "name": name,
                "uscc": fid,
                "scale": scale,
                "founded": f"{year0}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}",
                "employees": employees,
                "revenue": revenue,
                "rd_expense": round(revenue * float(rng.uniform(0.01, 0.08)), 1),
                "rd_staff": max(1, int(employees * rng.uniform(0.05, 0.3))),
                "listed": bool(scale == "above_designated_size" and rng.random() < 0.03),
                "products": f"{trade}产品、{names.pick(rng, w.keywords[sub])}",
                "region": county,
                "address": f"{county_names[county]}{names.pick(rng, names.BRAND_1)}{names.pick(rng, ['路', '街', '大道'])}{int(rng.integers(1, 300))}号",
            }
            put("Enterprise", firm)
            put("LOCATED_IN", {"from_id": fid, "to_id": county, "from_type": "Enterprise", "to_type": "Region"})
            parks = w.parks_by_county.get(county)
            if parks and rng.random() < 0.35:
                put(
                    "LOCATED_IN",
                    {
                        "from_id": fid,
                        "to_id": parks[int(rng.integers(len(parks)))],
                        "from_type": "Enterprise",
                        "to_type": "Park",
                        "since": programmes.moved_in(year0) if programmes else None,
                    },
                )
            put("IN_FIELD", {"from_id": fid, "to_id": sub, "from_type": "Enterprise", "weight": 1.0})
            if rng.random() < 0.2:
                other = subs[int(rng.integers(len(subs)))]
                if other != sub:
                    put("IN_FIELD", {"from_id": fid, "to_id": other, "from_type": "Enterprise", "weight": 0.5})
            high_tech = rng.random() < 0.10 + 0.08 * min(act, 3) + (0.1 if scale == "above_designated_size" else 0)
            _qualifications(put, rng, fid, year0, scale, high_tech)
            partners = _cooperations(put, rng, w, fid, sub, county, act, year0, scale, high_tech, ctr)
            _projects_and_patents(put, rng, w, fid, sub, act, year0, partners, ctr)
            _demands_transfers_platforms(put, rng, w, fid, sub, trade, city, act, year0, scale, high_tech, ctr)
            _incubation_investment_awards(put, rng, w, fid, county, act, year0, scale)
            if programmes:
                programmes.firm(put, firm, sub, year0, high_tech)
        for type_, rows in out.items():
            sink.write(type_, rows)


def _qualifications(put, rng, fid, year0, scale, high_tech) -> None:
    def cert(q: str) -> None:
        year = int(rng.integers(max(year0 + 1, 2016), YEAR + 1)) if year0 < YEAR else YEAR
        put("CERTIFIED_AS", {"from_id": fid, "to_id": q, "year": year, "valid_until": year + 3})

    if high_tech:
        cert("high_tech_enterprise")
        if rng.random() < 0.06:
            cert("little_giant")
        if rng.random() < 0.02:
            cert("innovative_leader")
    if scale != "above_designated_size" and rng.random() < 0.4:
        cert("tech_sme")
    if rng.random() < 0.05:
        cert("specialised_sme")
    if rng.random() < 0.08:
        cert("private_tech_enterprise")
    if year0 >= 2015 and rng.random() < 0.03:
        cert("gazelle")


def _cooperations(put, rng, w: World, fid, sub, county, act, year0, scale, high_tech, ctr) -> list[tuple[int, int]]:
    """Academic partners of a firm as ``(org position, since)``; also workstations."""
    partners: dict[int, int] = {}
    first = max(2010, year0 + 1)
    if first > YEAR:
        return []
    if w.academicians and scale == "above_designated_size" and rng.random() < 0.01 + 0.02 * min(act, 3):
        k = ctr.next("ws")
        wsid = f"WS{k:05d}"
        fit = [
            a for a in w.academicians if sub in w.org_fields[a[1]] or any(f[:3] == sub[:3] for f in w.org_fields[a[1]])
        ]
        pid, pos = (fit or w.academicians)[int(rng.integers(len(fit or w.academicians)))]
        since = int(rng.integers(first, YEAR + 1))
        put(
            "AcademicianWorkstation",
            {
                "id": wsid,
                "name": f"{w.expert_names[pid]}院士工作站（{fid[-6:]}）",
                "level": "provincial" if rng.random() < 0.5 else "municipal",
                "founded_year": since,
                "region": county,
            },
        )
        put(
            "HOSTS",
            {
                "from_id": fid,
                "to_id": wsid,
                "from_type": "Enterprise",
                "to_type": "AcademicianWorkstation",
                "since": since,
            },
        )
        if rng.random() < 0.9:  # some workstations never got an academician
            put("STATIONED_AT", {"from_id": pid, "to_id": wsid, "since": since})
            partners[pos] = since
    k = min(30, int(rng.poisson(0.45 + 0.9 * act + (0.4 if high_tech else 0))))
    if k:
        p = w.partner_weights(sub, county)
        for pos in rng.choice(len(p), size=min(k, len(p)), replace=False, p=p):
            partners.setdefault(int(pos), int(first + (YEAR - first) * rng.beta(2.0, 1.0)))
    kinds = ["joint_rd", "commissioned_rd", "joint_platform", "technology_transfer", "talent_training", "consulting"]
    for pos, since in partners.items():
        put(
            "COOPERATES_WITH",
            {
                "from_id": fid,
                "to_id": w.org_ids[pos],
                "to_type": w.org_types[pos],
                "since": since,
                "cooperation_kind": kinds[int(rng.choice(6, p=[0.35, 0.2, 0.12, 0.1, 0.13, 0.1]))],
            },
        )
        if rng.random() < 0.2:
            put(
                "CONTRACTED_WITH",
                {
                    "from_id": fid,
                    "to_id": w.org_ids[pos],
                    "to_type": w.org_types[pos],
                    "year": int(rng.integers(since, YEAR + 1)),
                    "amount": round(float(rng.lognormal(3.5, 0.8)), 1),
                },
            )
    return sorted(partners.items())


def _led_project(put, fid, pid, name, program, level, kind, start, budget) -> None:
    """A three-year Project row and the firm's lead PARTICIPATES_IN it."""
    put(
        "Project",
        {
            "id": pid,
            "name": name,
            "program": program,
            "level": level,
            "project_kind": kind,
            "start_year": start,
            "end_year": min(YEAR, start + 2),
            "budget": budget,
            "funding": round(budget * FUNDING_SHARE[level], 1),
        },
    )
    put("PARTICIPATES_IN", {"from_id": fid, "to_id": pid, "from_type": "Enterprise", "role": "lead"})


def _projects_and_patents(put, rng, w: World, fid, sub, act, year0, partners, ctr) -> None:
    kw = w.keywords[sub]
    for pos, since in partners:
        if rng.random() < 0.35:
            k = ctr.next("project")
            pid = f"PJ{since}{k:07d}"
            level = ["municipal", "provincial", "national"][int(rng.choice(3, p=[0.55, 0.38, 0.07]))]
            program = {
                "municipal": "市科技计划产学研合作项目",
                "provincial": "省重点研发计划",
                "national": "国家重点研发计划",
            }[level]
            name = f"{names.pick(rng, kw)}关键技术研究与产业化"
            budget = round(float(rng.lognormal(4, 0.7)), 1)
            _led_project(put, fid, pid, name, program, level, "industry_university_research", since, budget)
            put(
                "PARTICIPATES_IN",
                {"from_id": w.org_ids[pos], "to_id": pid, "from_type": w.org_types[pos], "role": "partner"},
            )
            experts = w.experts_by_org.get(pos)
            if experts:
                put(
                    "PARTICIPATES_IN",
                    {
                        "from_id": experts[int(rng.integers(len(experts)))],
                        "to_id": pid,
                        "from_type": "Person",
                        "role": "partner",
                    },
                )
            put("IN_FIELD", {"from_id": pid, "to_id": sub, "from_type": "Project", "weight": 1.0})
    if not partners and rng.random() < 0.06:
        k = ctr.next("project")
        year = int(rng.integers(max(2012, year0 + 1), YEAR + 1)) if year0 < YEAR else YEAR
        pid = f"PJ{year}{k:07d}"
        name = f"{names.pick(rng, kw)}技术攻关"
        budget = round(float(rng.lognormal(3, 0.6)), 1)
        _led_project(put, fid, pid, name, "市科技计划", "municipal", "key_technology", year, budget)
        put("IN_FIELD", {"from_id": pid, "to_id": sub, "from_type": "Project", "weight": 1.0})
    for _ in range(min(40, int(rng.poisson(0.6 * act + 0.2)))):
        k = ctr.next("patent")
        year = int(rng.integers(max(2010, year0), YEAR + 1)) if year0 < YEAR else YEAR
        kind = int(rng.choice(3, p=[0.35, 0.55, 0.10]))
        body = f"{year}{kind + 1}{k % 10_000_000:07d}"
        check = sum(int(d) * wt for d, wt in zip(body, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5))) % 11
        pat = f"{body}.{'X' if check == 10 else check}"
        put(
            "Patent",
            {
                "id": pat,
                "name": names.fill(rng, names.PATENT_TEMPLATES, kw),
                "patent_kind": ["invention", "utility_model", "design"][kind],
                "application_year": year,
                "grant_year": year + int(rng.integers(1, 3)) if rng.random() < 0.6 and year + 2 <= YEAR else None,
                "ipc": [
                    f"{names.pick(rng, ['B01J', 'C08L', 'E21B', 'G01N', 'H01M', 'B63B', 'A01K', 'G06F', 'C02F', 'F16L'])} {int(rng.integers(1, 99))}/{int(rng.integers(0, 99)):02d}"
                ],
            },
        )
        put("APPLIED_FOR", {"from_id": fid, "to_id": pat, "from_type": "Enterprise", "applicant_order": 1})
        put("IN_FIELD", {"from_id": pat, "to_id": sub, "from_type": "Patent", "weight": 1.0})
        past = [(pos, s) for pos, s in partners if s <= year]
        if past and rng.random() < 0.25:
            pos, _ = past[int(rng.integers(len(past)))]
            put(
                "APPLIED_FOR",
                {"from_id": w.org_ids[pos], "to_id": pat, "from_type": w.org_types[pos], "applicant_order": 2},
            )
            experts = w.experts_by_org.get(pos)
            if experts:
                put("INVENTED", {"from_id": experts[int(rng.integers(len(experts)))], "to_id": pat})


def _demands_transfers_platforms(put, rng, w: World, fid, sub, trade, city, act, year0, scale, high_tech, ctr) -> None:
    kw = w.keywords[sub]
    for _ in range(int(rng.random() < 0.10 + 0.05 * min(act, 4)) + int(rng.random() < 0.03)):
        k = ctr.next("demand")
        did = f"TD{k:06d}"
        text = names.fill(rng, names.DEMAND_TEMPLATES, kw, product=f"{trade}产品")
        put(
            "TechDemand",
            {
                "id": did,
                "name": f"{next(x for x in kw if x in text)}技术难题",
                "description": text,
                "keywords": [x for x in kw if x in text],
                "year": int(rng.integers(2019, YEAR + 1)),
                "budget": round(float(rng.lognormal(3.5, 0.7)), 1),
                "status": "征集中" if rng.random() < 0.7 else "已对接",
            },
        )
        put("POSTED", {"from_id": fid, "to_id": did})
        put("IN_FIELD", {"from_id": did, "to_id": sub, "from_type": "TechDemand", "weight": 1.0})
    offers = w.achievements_by_field.get(sub)
    if offers and rng.random() < 0.04:
        put(
            "TRANSFERRED_TO",
            {
                "from_id": offers[int(rng.integers(len(offers)))],
                "to_id": fid,
                "year": int(rng.integers(2018, YEAR + 1)),
                "amount": round(float(rng.lognormal(3, 0.8)), 1),
                "transfer_mode": ["assignment", "license", "equity", "joint_implementation"][int(rng.integers(4))],
            },
        )
    if rng.random() < (0.3 if scale == "above_designated_size" else 0.03) + (0.1 if high_tech else 0):
        k = ctr.next("platform")
        kind = PLATFORMS[int(rng.choice(5, p=[0.4, 0.3, 0.1, 0.1, 0.1]))]
        level = ["municipal", "provincial", "national"][int(rng.choice(3, p=[0.6, 0.33, 0.07]))]
        level_title = {"municipal": "市级", "provincial": "省级", "national": "国家级"}[level]
        pid = f"PF{k:06d}"
        put(
            "RDPlatform",
            {
                "id": pid,
                "name": f"{city}{trade}{PLATFORM_SUFFIX[kind]}（{level_title}·{fid[-4:]}）",
                "platform_kind": kind,
                "level": level,
                "founded_year": int(rng.integers(max(2008, year0 + 1), YEAR + 1)) if year0 < YEAR else YEAR,
            },
        )
        put("HOSTS", {"from_id": fid, "to_id": pid, "from_type": "Enterprise", "to_type": "RDPlatform"})
        put("IN_FIELD", {"from_id": pid, "to_id": sub, "from_type": "RDPlatform", "weight": 1.0})


def _incubation_investment_awards(put, rng, w: World, fid, county, act, year0, scale) -> None:
    incubators = w.incubators_by_county.get(county)
    if incubators and year0 >= 2018 and scale != "above_designated_size" and rng.random() < 0.4:
        put(
            "INCUBATED_BY",
            {
                "from_id": fid,
                "to_id": incubators[int(rng.integers(len(incubators)))],
                "since": year0,
                "graduated": bool(year0 <= YEAR - 3 and rng.random() < 0.5),
            },
        )
    if w.vc_ids and rng.random() < 0.01 + 0.01 * min(act, 4):
        put(
            "INVESTS_IN",
            {
                "from_id": w.vc_ids[int(rng.integers(len(w.vc_ids)))],
                "to_id": fid,
                "year": int(rng.integers(max(2015, year0), YEAR + 1)) if year0 < YEAR else YEAR,
                "amount": round(float(rng.lognormal(6, 0.8)), 0),
                "round": names.pick(rng, ["天使轮", "A轮", "B轮", "Pre-A轮"]),
            },
        )
    if w.award_ids and rng.random() < 0.006 * min(act + 0.5, 6):
        aid = w.award_ids[int(rng.integers(len(w.award_ids)))]
        put("WON", {"from_id": fid, "to_id": aid, "from_type": "Enterprise", "year": int(aid[2:6])})
