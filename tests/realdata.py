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

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real data folder {REAL} not present")


@functools.lru_cache(maxsize=1)
def h2020_rows() -> pd.DataFrame:
    """The participations as read by pandas (strings; ``NA`` is missing)."""
    frame = pd.read_csv(H2020, dtype=str, keep_default_na=False, na_values=["NA", ""])
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
        pd.DataFrame({
            "id": projects["rcn"], "name": "H2020 " + projects["rcn"],
            "start_year": projects["start_year"], "end_year": pd.to_numeric(projects["end_year"], errors="coerce"),
        }),
    )
    part = typed.drop_duplicates(["pic", "rcn"])
    written["PARTICIPATES_IN"] = g.upsert_edges(
        "PARTICIPATES_IN",
        pd.DataFrame({
            "from_id": part["pic"], "from_type": part["type"].map(H2020_TYPES), "to_id": part["rcn"],
            "role": part["role"].map({"coordinator": "lead"}).fillna("partner"),
        }),
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
    written = {"list": g.upsert_nodes("University", pd.DataFrame({
        "id": "LIST-" + unis.index.astype(str), "name": unis["name"], "source": "college_data.csv"}))}
    grants = read_zipped_csv(NSFC_NATURAL)
    grants = grants[grants["依托单位"].str.strip() != ""].drop_duplicates("项目批准号")
    hosts = pd.Series(sorted(grants["依托单位"].str.strip().unique()))
    ids = pd.Series("NSFC-" + hosts.index.astype(str), index=hosts.values)
    label = hosts.map(lambda n: "University" if n.endswith(("大学", "学院", "大学)", "大学）")) else "ResearchInstitute")
    for lab in ("University", "ResearchInstitute"):
        part = hosts[label == lab]
        written[f"hosts_{lab}"] = g.upsert_nodes(lab, pd.DataFrame({"id": ids[part].values, "name": part.values,
                                                                    "source": "natural-2017-09-26.csv"}))
    written["Project"] = g.upsert_nodes("Project", pd.DataFrame({
        "id": grants["项目批准号"], "name": grants["项目名称"], "source": "natural-2017-09-26.csv"}))
    host = grants["依托单位"].str.strip()
    written["PARTICIPATES_IN"] = g.upsert_edges("PARTICIPATES_IN", pd.DataFrame({
        "from_id": host.map(ids).values, "from_type": host.map(dict(zip(hosts, label))).values,
        "to_id": grants["项目批准号"].values, "role": "lead"}))
    return written
