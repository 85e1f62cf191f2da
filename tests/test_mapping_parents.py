"""A mapping's parent column (CNIPA 申请人 / 标准化申请人): aliases, SUBSIDIARY_OF and BRANCH_OF links from the load.

Pairs are counted with pandas (``realdata.cnipa_parent_pairs``), independently
of the loader; the kind of each pair comes from the identity rules, whose
precision is measured on the labelled sample in ``tests/test_linking.py``.
The default suite loads a slice of the export (its first 600 records and the
records naming the units checked by name); the whole file is ``slow``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import realdata as rd
import yaml

from kg import KnowledgeGraph
from kg.errors import LoadError
from kg.loaders.linking.rules import classify
from kg.loaders.mapping import load_mapping
from kg.loaders.mapping_rows import is_person_name
from kg.normalise import name_key

ENV = {**os.environ, "COLUMNS": "1000", "NO_COLOR": "1"}
CNIPA_MAP = rd.ROOT / "examples" / "mappings" / "cnipa_patents_csv.yaml"
KNOWN = (
    "北京有竹居网络技术有限公司",
    "元宇宙创新发展科技研究院（山西）有限公司",
    "联想（北京）有限公司",
    "奥迪股份公司",
    "中国人民解放军军事科学院军事医学研究院",
    "上海曼恒数字技术股份有限公司",
)
LINKS = {"subsidiary": "SUBSIDIARY_OF", "part_of": "BRANCH_OF"}


def cnipa_slice(tmp_path: Path, n: int = 600) -> Path:
    """The first ``n`` records and every record naming one of :data:`KNOWN`, byte for byte."""
    lines = rd.CNIPA_CSV.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    picked = lines[: n + 1] + [line for line in lines[n + 1 :] if any(k in line for k in KNOWN)]
    path = tmp_path / "cnipa_parents.csv"
    path.write_text("".join(picked), encoding="utf-8")
    return path


def read_csv(path: Path) -> pd.DataFrame:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.ParserWarning)
        return pd.read_csv(path, dtype=str, index_col=False, keep_default_na=False)


def by_type(reports) -> dict[str, int]:
    return {r.type: r.loaded for r in reports if r.type in ("aliases", "SUBSIDIARY_OF", "BRANCH_OF")}


def names_of_edges(g, edge: str) -> set[tuple[str, str]]:
    """Every (name or alias of the start, name or alias of the end) of ``edge``, as name keys."""
    df = g.query(f"MATCH (a)-[:{edge}]->(b) RETURN a.name AS a, a.aliases AS aa, b.name AS b, b.aliases AS ba")
    out = set()
    for a, aa, b, ba in df.itertuples(index=False):
        for x in [a, *(aa if isinstance(aa, list) else [])]:
            for y in [b, *(ba if isinstance(ba, list) else [])]:
                out.add((name_key(x), name_key(y)))
    return out


def check_load(g, reports, rows: pd.DataFrame) -> pd.DataFrame:
    """The parent links and aliases of a load against the pairs counted with pandas; returns the pairs with kinds."""
    pairs = rd.cnipa_parent_pairs(rows)
    pairs["kind"] = [classify(a, b, asserted=True).kind for a, b in zip(pairs["name"], pairs["parent"])]
    assert all(not r.problems for r in reports)
    parents = [r for r in reports if r.type in ("aliases", "SUBSIDIARY_OF", "BRANCH_OF")]
    assert [r.rows_read for r in parents] == [len(pairs)] * 3  # distinct pairs that differ
    for kind, edge in LINKS.items():
        want = pairs[pairs["kind"] == kind]
        stored = names_of_edges(g, edge)
        missing = [(a, b) for a, b in zip(want["name"], want["parent"]) if (name_key(a), name_key(b)) not in stored]
        assert not missing, (edge, missing[:5])
        # several spellings of one unit are one link: never more links than pairs
        assert g.count(edge) == by_type(reports)[edge] <= len(want)
        assert g.count(edge) >= len(want) - max(3, len(want) // 20)
    assert g.count("SUBSIDIARY_OF") + g.count("BRANCH_OF") > 0
    return pairs


def check_same(g, pairs: pd.DataFrame) -> None:
    """Each name of a same-unit pair is the parent's node (as an alias), not a node of its own."""
    person = pairs["name"].str.replace(" ", "").map(is_person_name) | pairs["parent"].str.replace(" ", "").map(
        is_person_name
    )
    same = pairs[(pairs["kind"] == "same") & ~pairs["name"].duplicated(keep=False) & ~person]  # persons: left out
    assert len(same) > 0
    for name, parent in zip(same["name"], same["parent"]):
        found = g.find(name)
        assert found["name"].tolist() == [g.find(parent)["name"].iloc[0]], (name, parent, found["name"].tolist())


def test_cnipa_parent_column_on_a_slice(tmp_path):
    path = cnipa_slice(tmp_path)
    rows = read_csv(path)
    with KnowledgeGraph.open(":memory:") as g:
        reports = load_mapping(g, CNIPA_MAP, source=path)
        pairs = check_load(g, reports, rows)
        check_same(g, pairs)
        assert {"same", "subsidiary", "part_of"} <= set(pairs["kind"])
        # known pairs: a subsidiary and its group; one unit written two ways; a unit of a larger body
        edge = g.query(
            "MATCH (a:Enterprise)-[e:SUBSIDIARY_OF]->(b:Enterprise) WHERE a.name = $n "
            "RETURN b.name AS b, e.source AS s",
            n="北京有竹居网络技术有限公司",
        )
        assert edge.values.tolist() == [["字节跳动有限公司", "CNIPA 标准化申请人"]]
        for a, b in (("联想（北京）有限公司", "联想集团有限公司"), ("奥迪股份公司", "德国大众集团")):
            assert g.query("MATCH (a)-[:SUBSIDIARY_OF]->(b) WHERE a.name = $a RETURN b.name AS b", a=a)[
                "b"
            ].tolist() == [b]
        assert g.query(
            "MATCH (a)-[:BRANCH_OF]->(b) WHERE a.name = $a RETURN b.name AS b",
            a="中国人民解放军军事科学院军事医学研究院",
        )["b"].tolist() == ["中国人民解放军军事科学院"]
        unit = g.query(
            "MATCH (e:Enterprise) WHERE e.name STARTS WITH '元宇宙创新发展科技研究院' RETURN e.id AS id, "
            "e.name AS name, e.aliases AS aliases"
        )
        assert unit["name"].tolist() == ["元宇宙创新发展科技研究院山西有限公司"]
        assert list(unit["aliases"].iloc[0]) == ["元宇宙创新发展科技研究院（山西）有限公司"]
        # every application naming either spelling is the one node's
        apps = rows.loc[rows["申请人"].str.contains("元宇宙创新发展科技研究院"), "申请号"].nunique()
        assert apps >= 1
        assert (
            int(
                g.query(
                    "MATCH (e:Enterprise {id: $id})-[:APPLIED_FOR]->(p) RETURN count(DISTINCT p) AS n",
                    id=unit["id"].iloc[0],
                )["n"].iloc[0]
            )
            == apps
        )
        # a standardised short name read as a person's (京东方) is an alias of the full name, not a Person
        assert g.query("MATCH (p:Person) WHERE p.name = '京东方' RETURN p.id").empty
        assert g.find("京东方")["name"].tolist() == ["京东方科技集团股份有限公司"]
        written_twice = g.find("上海曼恒数字技术股份有限公司")
        assert written_twice["name"].tolist() == ["上海曼恒数字技术有限公司"]
        assert g.query("MATCH (e:Enterprise) WHERE e.name = '上海曼恒数字技术股份有限公司' RETURN e.id").empty


@pytest.mark.slow
def test_cnipa_parent_column_whole_file():
    rows = rd.cnipa_rows()
    with KnowledgeGraph.open(":memory:") as g:
        reports = load_mapping(g, CNIPA_MAP, source=rd.CNIPA_CSV)
        pairs = check_load(g, reports, rows)
        check_same(g, pairs)
        assert len(pairs) == 695
        assert by_type(reports)["aliases"] <= int((pairs["kind"] == "same").sum())


def mapping_with(tmp_path: Path, change) -> Path:
    spec = yaml.safe_load(CNIPA_MAP.read_text(encoding="utf-8"))
    change(spec)
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def small_source(tmp_path: Path) -> Path:
    path = tmp_path / "p.csv"
    path.write_text(
        "申请号,标题,申请日,授权公告日,公开号,国际分类,申请人,标准化申请人\n"
        "CN1,甲,20200101,,CN1A,G06F 3/01,北京有竹居网络技术有限公司 | 清华大学,字节跳动有限公司 | 清华大学\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda s: s["nodes"][1]["parent"].update(column="标准申请人"),
            "nodes[1].parent.column names column '标准申请人', which the source does not have",
        ),
        (
            lambda s: s["nodes"][1]["parent"].update(sep="|"),
            "nodes[1].parent: unknown key 'sep'; use column, source, split",
        ),
        (lambda s: s["nodes"][1].update(parent=["标准化申请人"]), "nodes[1].parent: takes {column: 标准化申请人"),
        (
            lambda s: s["nodes"][1]["parent"].update(split="(["),
            "nodes[1].parent.split: '([' is not a valid regular expression",
        ),
        (
            lambda s: s["edges"][0].update(parent={"column": "标准化申请人"}),
            "edges[0]: `parent:` belongs on the node entry of the names",
        ),
        (
            lambda s: s["nodes"][1].update(columns={"name": {"column": "申请人"}}),
            "nodes[1].parent: the entry needs its names as a plain column",
        ),
    ],
)
def test_parent_mistakes_stop_the_load_with_one_error(tmp_path, change, message):
    mapping, source = mapping_with(tmp_path, change), small_source(tmp_path)
    with KnowledgeGraph.open(":memory:") as g:
        with pytest.raises(LoadError) as err:
            load_mapping(g, mapping, source=source)
        assert message in str(err.value)
        assert g.count("Patent") == 0 and g.count("Enterprise") == 0  # nothing written


def test_kg_load_with_a_parent_column_and_a_bad_one(tmp_path):
    source = small_source(tmp_path)
    db = tmp_path / "p.kg"
    ok = subprocess.run(
        [sys.executable, "-m", "kg", "--lang", "en", "--db", str(db), "load", "--mapping", str(CNIPA_MAP), str(source)],
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert ok.returncode == 0, ok.stderr
    assert "SUBSIDIARY_OF" in ok.stdout
    with KnowledgeGraph.open(str(db)) as g:
        assert g.query("MATCH (a)-[:SUBSIDIARY_OF]->(b) RETURN a.name AS a, b.name AS b").values.tolist() == [
            ["北京有竹居网络技术有限公司", "字节跳动有限公司"]
        ]
    bad = mapping_with(tmp_path, lambda s: s["nodes"][1]["parent"].update(column="标准申请人"))
    run = subprocess.run(
        [sys.executable, "-m", "kg", "--db", str(db), "load", "--mapping", str(bad), str(source)],
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "nodes[1].parent.column" in lines[0]
    assert "Traceback" not in run.stderr
