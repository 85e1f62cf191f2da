"""Real public data for tests: paths and independent pandas derivations.

The files live in ``../shared/data/real/`` (see its README and each SOURCE.md
for origin and licence).  Everything here is computed with pandas or the csv
module *independently of the project's loaders*, so tests can compare what
the product stores with figures it did not compute itself.

``h2020_store`` builds a store of the Horizon 2020 participations through the
public graph API (no mapping file): tests of matching, analytics and views
use it; the shipped mapping's own tests compare against the frames below.
"""

from __future__ import annotations

import functools
import os
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"
if not REAL.is_dir():  # a git worktree of the repo sits one folder deeper than the main checkout
    REAL = ROOT.parents[1] / "shared" / "data" / "real"

H2020 = REAL / "cordis-h2020-2014-2017" / "h2020_participations_2014_2017.csv.gz"
CNIPA_CSV = REAL / "cn-patents-vr" / "20220507--CNAPP-TI=虚拟现实.csv"
CNIPA_XLSX = REAL / "cn-patents-vr" / "3816.xlsx"
NSFC_NATURAL = REAL / "nsfc-grants" / "natural-2017-09-26.csv.zip"
NSFC_SOCIAL = REAL / "nsfc-grants" / "social-2017-09-26.csv.zip"
UNIVERSITIES = REAL / "cn-universities-type" / "college_data.csv"

#: Horizon 2020 organisation type -> node type (PUB/OTH have no participation home before schema v2)
H2020_TYPES = {"PRC": "Enterprise", "HES": "University", "REC": "ResearchInstitute"}
ACADEMIC = ("HES", "REC")

#: skipped where the folder is absent, except under CI (CI=true), where a missing folder must fail, not skip
needs_real = pytest.mark.skipif(
    not REAL.is_dir() and not os.environ.get("CI"), reason=f"real data folder {REAL} not present"
)


@functools.lru_cache(maxsize=1)
def h2020_rows() -> pd.DataFrame:
    """The participations as read by pandas (strings; ``NA`` is missing, except in ``country``: Namibia)."""
    header = pd.read_csv(H2020, nrows=0).columns
    missing = {c: ["NA", ""] if c != "country" else [""] for c in header}
    frame = pd.read_csv(H2020, dtype=str, keep_default_na=False, na_values=missing)
    frame["start_year"] = pd.to_numeric(frame["start_year"], errors="coerce").astype("Int64")
    return frame


def h2020_pairs(types: tuple[str, ...] = ACADEMIC) -> pd.DataFrame:
    """Firm x academia pairs from shared projects, counted with pandas.

    Columns: ``firm`` (PIC of a PRC), ``partner`` (PIC of a HES/REC), ``since``
    (earliest start year of a shared project), ``weight`` (shared projects).
    """
    rows = h2020_rows().dropna(subset=["start_year"])
    firms = rows[rows["type"] == "PRC"][["rcn", "pic", "start_year"]].drop_duplicates(["rcn", "pic"])
    acad = rows[rows["type"].isin(types)][["rcn", "pic"]].drop_duplicates()
    pairs = firms.merge(acad, on="rcn", suffixes=("_firm", "_partner"))
    pairs = pairs[pairs["pic_firm"] != pairs["pic_partner"]]
    out = (
        pairs.groupby(["pic_firm", "pic_partner"])
        .agg(since=("start_year", "min"), weight=("rcn", "nunique"))
        .reset_index()
        .rename(columns={"pic_firm": "firm", "pic_partner": "partner"})
    )
    out["since"] = out["since"].astype(int)
    return out


def h2020_store(g) -> dict[str, int]:
    """Load organisations, projects, participations and derived cooperations through the API.

    Returns the counts written per type (computed here with pandas).
    """
    rows = h2020_rows()
    typed = rows[rows["type"].isin(H2020_TYPES)]
    written: dict[str, int] = {}
    for code, label in H2020_TYPES.items():
        orgs = typed[typed["type"] == code][["pic", "country"]].drop_duplicates("pic")
        frame = pd.DataFrame({"id": orgs["pic"], "name": "PIC " + orgs["pic"]})
        written[label] = g.upsert_nodes(label, frame)
    projects = rows.drop_duplicates("rcn")
    written["Project"] = g.upsert_nodes(
        "Project",
        pd.DataFrame(
            {
                "id": projects["rcn"],
                "name": "H2020 " + projects["rcn"],
                "start_year": projects["start_year"],
                "end_year": pd.to_numeric(projects["end_year"], errors="coerce"),
            }
        ),
    )
    part = typed.drop_duplicates(["pic", "rcn"])
    written["PARTICIPATES_IN"] = g.upsert_edges(
        "PARTICIPATES_IN",
        pd.DataFrame(
            {
                "from_id": part["pic"],
                "from_type": part["type"].map(H2020_TYPES),
                "to_id": part["rcn"],
                "role": part["role"].map({"coordinator": "lead"}).fillna("partner"),
            }
        ),
    )
    pairs = h2020_pairs()
    written["COOPERATES_WITH"] = g.upsert_edges(
        "COOPERATES_WITH",
        pd.DataFrame({"from_id": pairs["firm"], "to_id": pairs["partner"], "since": pairs["since"]}),
    )
    return written


def read_zipped_csv(path: Path) -> pd.DataFrame:
    """The one CSV inside a zip, as strings (pandas, independent of the loaders)."""
    with zipfile.ZipFile(path) as archive:
        inner = [n for n in archive.namelist() if n.lower().endswith(".csv")]
        with archive.open(inner[0]) as handle:
            return pd.read_csv(handle, dtype=str, keep_default_na=False)


def cnipa_rows() -> pd.DataFrame:
    """The CNIPA VR export (trailing comma on every row: ``index_col=False``)."""
    with warnings.catch_warnings():  # the trailing comma is expected: pandas warns about it
        warnings.simplefilter("ignore", pd.errors.ParserWarning)
        return pd.read_csv(CNIPA_CSV, dtype=str, index_col=False, keep_default_na=False)


#: every Horizon 2020 organisation type -> the schema's organisation type (PUB public body, OTH other);
#: PUB falls back to ServiceOrg where the schema has no GovernmentAgency
H2020_ORG_TYPES = {
    "PRC": "Enterprise",
    "HES": "University",
    "REC": "ResearchInstitute",
    "PUB": "GovernmentAgency",
    "OTH": "ServiceOrg",
}


def h2020_org_types(schema) -> dict[str, str]:
    """``{H2020 type: node label}`` for every type, mapped onto the labels ``schema`` has."""
    out = {}
    for code, label in H2020_ORG_TYPES.items():
        out[code] = label if label in schema.nodes else "ServiceOrg"
    return out


def h2020_participating(schema) -> tuple[str, ...]:
    """The H2020 types whose node label may take part in a project (``PARTICIPATES_IN``) in ``schema``."""
    allowed = schema.edge("PARTICIPATES_IN").from_types
    return tuple(code for code, label in h2020_org_types(schema).items() if label in allowed)


def h2020_org_store(g) -> tuple[str, ...]:
    """Every organisation (all five types, ``region`` = ISO country code), the projects and the participations
    of the types the schema lets take part in projects; no derived links.  Returns those participating types."""
    rows = h2020_rows()
    types = h2020_org_types(g.schema)
    orgs = rows.drop_duplicates("pic")
    for label in sorted(set(types.values())):
        mine = orgs[orgs["type"].map(types) == label]
        g.upsert_nodes(
            label, pd.DataFrame({"id": mine["pic"], "name": "PIC " + mine["pic"], "region": mine["country"]})
        )
    projects = rows.drop_duplicates("rcn")
    g.upsert_nodes(
        "Project",
        pd.DataFrame({"id": projects["rcn"], "name": "H2020 " + projects["rcn"], "start_year": projects["start_year"]}),
    )
    participating = h2020_participating(g.schema)
    part = rows[rows["type"].isin(participating)].drop_duplicates(["pic", "rcn"])
    g.upsert_edges(
        "PARTICIPATES_IN",
        pd.DataFrame({"from_id": part["pic"], "from_type": part["type"].map(types), "to_id": part["rcn"]}),
    )
    return participating


def h2020_participation_counts(types: tuple[str, ...]) -> pd.DataFrame:
    """Per PIC of ``types``, counted with pandas: ``projects`` (distinct projects) and ``partners`` (distinct
    other organisations of ``types`` sharing a project).  Index: PIC."""
    rows = h2020_rows()
    part = rows[rows["type"].isin(types)][["rcn", "pic"]].drop_duplicates()
    projects = part.groupby("pic")["rcn"].nunique()
    pairs = part.merge(part, on="rcn", suffixes=("", "_other"))
    pairs = pairs[pairs["pic"] != pairs["pic_other"]]
    partners = pairs.groupby("pic")["pic_other"].nunique()
    return pd.DataFrame({"projects": projects, "partners": partners.reindex(projects.index).fillna(0).astype(int)})


#: CNIPA applicant name endings -> node type (firms, universities, research institutes); others are left out
CNIPA_ENDINGS = {
    "Enterprise": ("公司", "集团", "厂", "企业"),
    "University": ("大学", "学院", "学校"),
    "ResearchInstitute": ("研究院", "研究所", "研究中心", "科学院", "实验室"),
}


def cnipa_applicant_type(name: str) -> str | None:
    """Node type of a CNIPA applicant by its name ending (``None`` for persons and other bodies)."""
    for label, endings in CNIPA_ENDINGS.items():
        if name.endswith(endings):
            return label
    return None


def cnipa_applications() -> pd.DataFrame:
    """One row per (patent, typed applicant): ``patent``, ``applicant``, ``type``, ``year``, ``ipc``, ``title``."""
    rows = cnipa_rows()
    frame = pd.DataFrame(
        {
            "patent": rows["申请号"],
            "applicants": rows["申请人"].str.split("|"),
            "year": pd.to_numeric(rows["申请日"].str[:4], errors="coerce"),
            "ipc": rows["国际分类"],
            "title": rows["标题"],
        }
    ).explode("applicants")
    frame["applicant"] = frame.pop("applicants").str.strip()
    frame["type"] = frame["applicant"].map(cnipa_applicant_type)
    return frame.dropna(subset=["type", "year"]).drop_duplicates(["patent", "applicant"]).reset_index(drop=True)


def cnipa_pairs() -> pd.DataFrame:
    """Firm x university/institute co-applications: ``firm``, ``partner``, ``since`` (first year), ``weight``."""
    apps = cnipa_applications()
    firms = apps[apps["type"] == "Enterprise"][["patent", "applicant", "year"]]
    acad = apps[apps["type"] != "Enterprise"][["patent", "applicant"]]
    pairs = firms.merge(acad, on="patent", suffixes=("_firm", "_partner"))
    out = (
        pairs.groupby(["applicant_firm", "applicant_partner"])
        .agg(since=("year", "min"), weight=("patent", "nunique"))
        .reset_index()
        .rename(columns={"applicant_firm": "firm", "applicant_partner": "partner"})
    )
    out["since"] = out["since"].astype(int)
    return out


def cnipa_store(g) -> dict[str, int]:
    """Load the CNIPA VR export through the API: applicants typed by name ending (id = name), patents with
    application year, IPC classes and title, APPLIED_FOR, and COOPERATES_WITH from co-applications
    (since = first co-application year).  Returns the counts written per type (pandas)."""
    apps = cnipa_applications()
    written: dict[str, int] = {}
    for label in CNIPA_ENDINGS:
        names = apps[apps["type"] == label]["applicant"].drop_duplicates()
        written[label] = g.upsert_nodes(label, pd.DataFrame({"id": names, "name": names}))
    patents = apps.drop_duplicates("patent")
    written["Patent"] = g.upsert_nodes(
        "Patent",
        pd.DataFrame(
            {
                "id": patents["patent"],
                "name": patents["title"],
                "application_year": patents["year"].astype(int),
                "ipc": [[c.strip() for c in str(x).split("|") if c.strip()] for x in patents["ipc"]],
            }
        ),
    )
    written["APPLIED_FOR"] = g.upsert_edges(
        "APPLIED_FOR", pd.DataFrame({"from_id": apps["applicant"], "from_type": apps["type"], "to_id": apps["patent"]})
    )
    pairs = cnipa_pairs()
    written["COOPERATES_WITH"] = g.upsert_edges(
        "COOPERATES_WITH", pd.DataFrame({"from_id": pairs["firm"], "to_id": pairs["partner"], "since": pairs["since"]})
    )


def nsfc_universities_store(g) -> dict[str, int]:
    """NSFC management-science grants beside the university list, through the public API (no mapping file).

    University list rows become University nodes (id ``LIST-<row>``, name as
    written); each NSFC host unit becomes a University (names ending in 大学 or
    学院) or ResearchInstitute node with a minted id ``NSFC-<n>``, a Project
    per grant and PARTICIPATES_IN from its host.  Nothing is joined across
    the two sources: that is what ``kg link`` proposes.  Returns the counts
    written (computed here with pandas).
    """
    unis = pd.read_csv(UNIVERSITIES, dtype=str, keep_default_na=False).drop_duplicates("name").reset_index(drop=True)
    written = {
        "list": g.upsert_nodes(
            "University",
            pd.DataFrame({"id": "LIST-" + unis.index.astype(str), "name": unis["name"], "source": "college_data.csv"}),
        )
    }
    grants = read_zipped_csv(NSFC_NATURAL)
    grants = grants[grants["依托单位"].str.strip() != ""].drop_duplicates("项目批准号")
    hosts = pd.Series(sorted(grants["依托单位"].str.strip().unique()))
    ids = pd.Series("NSFC-" + hosts.index.astype(str), index=hosts.values)
    label = hosts.map(
        lambda n: "University" if n.endswith(("大学", "学院", "大学)", "大学）")) else "ResearchInstitute"
    )
    for lab in ("University", "ResearchInstitute"):
        part = hosts[label == lab]
        written[f"hosts_{lab}"] = g.upsert_nodes(
            lab, pd.DataFrame({"id": ids[part].values, "name": part.values, "source": "natural-2017-09-26.csv"})
        )
    written["Project"] = g.upsert_nodes(
        "Project",
        pd.DataFrame({"id": grants["项目批准号"], "name": grants["项目名称"], "source": "natural-2017-09-26.csv"}),
    )
    host = grants["依托单位"].str.strip()
    written["PARTICIPATES_IN"] = g.upsert_edges(
        "PARTICIPATES_IN",
        pd.DataFrame(
            {
                "from_id": host.map(ids).values,
                "from_type": host.map(dict(zip(hosts, label))).values,
                "to_id": grants["项目批准号"].values,
                "role": "lead",
            }
        ),
    )
    return written


def cnipa_parent_pairs(rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Distinct (``name``, ``parent``) pairs of 申请人 / 标准化申请人 that differ, paired position by position in
    rows whose two cells hold as many names (pandas, independent of the loaders); ``rows``: how many rows."""
    rows = cnipa_rows() if rows is None else rows
    a = rows["申请人"].fillna("").str.split("|").map(lambda x: [s.strip() for s in x])
    b = rows["标准化申请人"].fillna("").str.split("|").map(lambda x: [s.strip() for s in x])
    keep = a.str.len() == b.str.len()
    pairs = pd.DataFrame(
        [(x, y) for xs, ys in zip(a[keep], b[keep]) for x, y in zip(xs, ys) if x and y and x != y],
        columns=["name", "parent"],
    )
    return pairs.groupby(["name", "parent"]).size().rename("rows").reset_index()


def h2020_country_store(g) -> dict[str, int]:
    """:func:`h2020_store`, with every firm, university and institute carrying ``region`` = its ISO country code
    (as the file gives it).  Returns the counts of :func:`h2020_store`."""
    written = h2020_store(g)
    typed = h2020_rows()[lambda r: r["type"].isin(H2020_TYPES)].drop_duplicates("pic")
    for code, label in H2020_TYPES.items():
        mine = typed[typed["type"] == code]
        g.upsert_nodes(
            label, pd.DataFrame({"id": mine["pic"], "name": "PIC " + mine["pic"], "region": mine["country"]})
        )
    return written
