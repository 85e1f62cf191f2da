"""A name column beside its parent or normalised name (申请人 / 标准化申请人): aliases or group links; roll-up to groups.

:func:`pair_decisions` classifies each distinct pair with the rules of
:func:`~kg.loaders.linking.rules.classify` (``asserted=True``: the source
states the parent); :func:`link_parents` writes them: a ``same`` pair makes
the name an alias of the parent's node, ``subsidiary`` a SUBSIDIARY_OF link,
``part_of`` a BRANCH_OF link, each with ``source``.  Cells holding several
names separated by `` | `` (CNIPA applicants) are paired position by
position when both cells hold as many names.

:func:`rollup_groups` adds the group each unit belongs to (following
SUBSIDIARY_OF and BRANCH_OF to the top) to a frame, so counts can be made
per group.

Examples
--------
>>> df = pd.DataFrame({"申请人": ["联想（北京）有限公司", "上海曼恒数字技术股份有限公司"],
...                    "标准化申请人": ["联想集团有限公司", "上海曼恒数字技术有限公司"]})
>>> pair_decisions(df, "申请人", "标准化申请人")[["name", "kind"]].values.tolist()
[['上海曼恒数字技术股份有限公司', 'same'], ['联想（北京）有限公司', 'subsidiary']]
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
from kg.loaders.linking.rules import classify
from kg.loaders.resolve import NameIndex, mint_id, stored_aliases

from kg.errors import LoadError

SEPARATOR = " | "


def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV or Excel file as strings (CSV rows may end with a trailing comma, as CNIPA exports do)."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: file not found")
    if path.suffix.lower() in (".xlsx", ".xls"):
        return pd.read_excel(path, dtype=str).fillna("")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.ParserWarning)
        return pd.read_csv(path, dtype=str, index_col=False, keep_default_na=False, encoding="utf-8-sig")


def pairs(frame: pd.DataFrame, name_col: str, parent_col: str, sep: str = SEPARATOR) -> pd.DataFrame:
    """Distinct ``(name, parent)`` pairs that differ, with how many rows carry each (``rows``)."""
    for col in (name_col, parent_col):
        if col not in frame:
            raise LoadError(f"no column {col!r}; columns are {', '.join(map(str, frame.columns))}")
    out = []
    for a, b in zip(frame[name_col].fillna("").astype(str), frame[parent_col].fillna("").astype(str)):
        names, parents = [x.strip() for x in a.split(sep.strip())], [x.strip() for x in b.split(sep.strip())]
        if len(names) != len(parents):
            continue
        out += [(x, y) for x, y in zip(names, parents) if x and y and x != y]
    df = pd.DataFrame(out, columns=["name", "parent"])
    return df.groupby(["name", "parent"]).size().rename("rows").reset_index()


def pair_decisions(frame: pd.DataFrame, name_col: str, parent_col: str) -> pd.DataFrame:
    """Each distinct pair with ``kind`` and ``reasons`` (see :func:`classify`)."""
    df = pairs(frame, name_col, parent_col)
    verdicts = [classify(a, b, asserted=True) for a, b in zip(df["name"], df["parent"])]
    return df.assign(kind=[v.kind for v in verdicts], reasons=["; ".join(v.reasons) for v in verdicts])


def link_parents(graph, frame: pd.DataFrame, name_col: str, parent_col: str, *, label: str = "Enterprise",
                 source: str | None = None) -> pd.DataFrame:
    """Write the decisions of :func:`pair_decisions` into ``graph`` in one transaction; returns them.

    Names are resolved against stored names and aliases of ``label``; units
    not stored yet are created with a minted id.
    """
    decisions = pair_decisions(frame, name_col, parent_col)
    index = NameIndex(graph, [label])
    source = source or f"{name_col} -> {parent_col}"

    def node(name: str) -> str:
        hit = index.lookup(name)
        if hit:
            return sorted(hit)[0][1]
        id_ = mint_id(label, name)
        graph.upsert_nodes(label, [{"id": id_, "name": name, "source": source}])
        index.add(label, id_, name)
        return id_

    with graph.transaction():
        for row in decisions.itertuples(index=False):
            if row.kind == "same":
                parent = node(row.parent)
                aliases = stored_aliases(graph, label, [parent])[parent][1]
                if row.name not in aliases:
                    graph.upsert_nodes(label, [{"id": parent, "aliases": [*aliases, row.name]}])
                index.add(label, parent, row.name)
            elif row.kind in ("subsidiary", "part_of"):
                edge = "SUBSIDIARY_OF" if row.kind == "subsidiary" else "BRANCH_OF"
                graph.upsert_edges(edge, [{"from_id": node(row.name), "to_id": node(row.parent), "from_type": label,
                                           "to_type": label, "source": source}])
    return decisions


def rollup_groups(graph, frame: pd.DataFrame, id_col: str = "id", *, label: str = "Enterprise") -> pd.DataFrame:
    """``frame`` with ``group_id`` / ``group_name``: the top of each unit's SUBSIDIARY_OF / BRANCH_OF chain (itself if none).

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> g = KnowledgeGraph.open(":memory:")
    >>> _ = g.upsert_nodes("Enterprise", [{"id": "A", "name": "联想（北京）有限公司"}, {"id": "G", "name": "联想集团有限公司"}])
    >>> _ = g.upsert_edges("SUBSIDIARY_OF", [{"from_id": "A", "to_id": "G", "source": "t"}])
    >>> rollup_groups(g, pd.DataFrame({"id": ["A", "G"]}))["group_name"].tolist()
    ['联想集团有限公司', '联想集团有限公司']
    """
    from kg import cypher

    parent: dict[str, str] = {}
    for edge in ("SUBSIDIARY_OF", "BRANCH_OF"):
        df = graph.query(cypher.edge_rows(edge, label, label, []))
        parent.update(zip(df["from_id"], df["to_id"]))
    names = graph.query(cypher.node_rows(label, ["id", "name"])).set_index("id")["name"]

    def top(i: str) -> str:
        seen = set()
        while i in parent and i not in seen:
            seen.add(i)
            i = parent[i]
        return i

    groups = frame[id_col].map(top)
    return frame.assign(group_id=groups, group_name=groups.map(names))
