"""A node entry's parent column: the same unit written two ways becomes one node with an alias; a member, a link.

A source that gives each name beside its normalised or parent name (CNIPA
``申请人`` / ``标准化申请人``, several names per cell in the same order)
declares it on the node entry of the names::

    nodes:
      - type: {大学: University, default: Enterprise}
        columns: {name: 申请人}
        split: {name: "\\\\s*\\\\|\\\\s*"}
        parent: {column: 标准化申请人, split: "\\\\s*\\\\|\\\\s*", source: CNIPA}   # split: default the entry's

Each distinct (name, parent) pair that differs is decided by the identity
rules (:func:`kg.loaders.linking.rules.classify`, the parent asserted by the
source): ``same``: the name is written as the parent's name wherever the
column holds it (nodes, edges and pairs of every entry) and kept as an alias
of that node (the other way round when the parent's name would not be typed
as an organisation: 京东方科技集团股份有限公司 keeps its name, 京东方 is its alias); ``subsidiary``: a SUBSIDIARY_OF link; ``part_of``: a BRANCH_OF
link; ``different``: nothing.  A parent not in the source is created with the
entry's type by its name (a group named like a person, 诺基亚, takes the
entry's default type); a name typed as a person is left out.  It all happens in the load's transaction.

Examples
--------
>>> import pandas as pd
>>> from kg import KnowledgeGraph
>>> from kg.loaders.mapping import load_mapping
>>> g = KnowledgeGraph.open(":memory:")
>>> sheet = pd.DataFrame({"申请人": ["北京有竹居网络技术有限公司", "上海曼恒数字技术股份有限公司"],
...                       "标准化申请人": ["字节跳动有限公司", "上海曼恒数字技术有限公司"]})
>>> m = {"nodes": [{"type": "Enterprise", "columns": {"name": "申请人"}, "parent": {"column": "标准化申请人"}}]}
>>> [(r.type, r.loaded) for r in load_mapping(g, m, source=sheet)]
[('Enterprise', 2), ('aliases', 1), ('SUBSIDIARY_OF', 1), ('BRANCH_OF', 0)]
>>> g.query("MATCH (a)-[:SUBSIDIARY_OF]->(b) RETURN a.name AS a, b.name AS b").values.tolist()
[['北京有竹居网络技术有限公司', '字节跳动有限公司']]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from kg.errors import LoadError
from kg.loaders.linking.parents import pair_decisions, same_names, write_decisions
from kg.loaders.mapping_rows import column, row_types, type_spec, where
from kg.loaders.sources import Table
from kg.report import LoadReport

#: keys of ``parent:``
PARENT_KEYS = {"column", "split", "source"}


@dataclass
class ParentPlan:
    """What one ``parent:`` declaration decided, before anything is written."""

    at: str
    name_column: str
    parent_column: str
    pattern: re.Pattern
    decisions: pd.DataFrame
    typing: dict
    source: str
    #: the entry's label of every name and parent (None: not typed)
    labels: dict


def plan_parents(spec: dict, table: Table, splitter: re.Pattern) -> list[ParentPlan]:
    """The decisions of every node entry's ``parent:`` (checked: one error naming the entry and key)."""
    plans = []
    for i, entry in enumerate(spec.get("nodes") or []):
        if "parent" not in entry:
            continue
        at = f"nodes[{i}].parent"
        parent = entry["parent"]
        if isinstance(parent, str):
            parent = {"column": parent}
        if not isinstance(parent, dict) or "column" not in parent:
            raise LoadError(
                f'{spec.get("_where", "<mapping>")}: {at}: takes {{column: 标准化申请人, split: "\\\\s*\\\\|\\\\s*"}}, '
                f"not {entry['parent']!r}"
            )
        unknown = set(parent) - PARENT_KEYS
        if unknown:
            raise LoadError(
                f"{spec.get('_where', '<mapping>')}: {at}: unknown key {sorted(unknown)[0]!r}; "
                f"use {', '.join(sorted(PARENT_KEYS))}"
            )
        name_col = (entry.get("columns") or {}).get("name")
        if not isinstance(name_col, str):
            raise LoadError(
                f"{spec.get('_where', '<mapping>')}: {at}: the entry needs its names as a plain column "
                "(`columns: {name: 申请人}`) to pair them with their parents"
            )
        column(table, name_col, f"nodes[{i}].columns.name")
        column(table, parent["column"], f"{at}.column")
        pattern = _pattern(parent.get("split", _entry_split(entry, splitter)), splitter, f"{at}.split")
        rows = where(table, entry.get("where"), f"nodes[{i}].where")
        frame = pd.DataFrame(
            {"name": rows.frame[name_col].astype(object), "parent": rows.frame[parent["column"]].astype(object)}
        )
        decisions = pair_decisions(frame.where(frame.notna(), ""), "name", "parent", pattern)
        typing = {k: v for k, v in type_spec(entry["type"], f"nodes[{i}].type").items() if k != "column"}
        labels = _labels(table.source, typing, decisions, f"nodes[{i}].type")
        plans.append(
            ParentPlan(
                at,
                name_col,
                parent["column"],
                pattern,
                _canonical(decisions, labels),
                typing,
                str(parent.get("source") or f"{name_col} -> {parent['column']}"),
                labels,
            )
        )
    return plans


def _labels(source: str, typing: dict, decisions: pd.DataFrame, where_: str) -> dict:
    """``{name: label}`` by the entry's type (endings, persons, default) for every name and parent."""
    names = pd.concat([decisions["name"], decisions["parent"]]).drop_duplicates().reset_index(drop=True)
    typed = row_types(Table(source, pd.DataFrame({"name": names}), list(range(len(names)))), typing, names, where_)
    return dict(zip(names, typed))


def _canonical(decisions: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """Same-unit pairs whose parent would not be typed as an organisation (京东方, a short name read as a
    person's) keep the name as written: the parent becomes its alias instead.

    Examples
    --------
    >>> d = pd.DataFrame({"name": ["京东方科技集团股份有限公司"], "parent": ["京东方"], "kind": ["same"]})
    >>> _canonical(d, {"京东方科技集团股份有限公司": "Enterprise", "京东方": "Person"})[["name", "parent"]].values.tolist()
    [['京东方', '京东方科技集团股份有限公司']]
    """
    weak = (
        (decisions["kind"] == "same")
        & decisions["parent"].map(lambda n: labels.get(n) in (None, "Person"))
        & decisions["name"].map(lambda n: labels.get(n) not in (None, "Person"))
    )
    if not weak.any():
        return decisions
    out = decisions.copy()
    out.loc[weak, ["name", "parent"]] = decisions.loc[weak, ["parent", "name"]].to_numpy()
    return out


def _entry_split(entry: dict, splitter: re.Pattern):
    split = entry.get("split")
    if isinstance(split, dict) and split.get("name") not in (None, True):
        return split["name"]
    return splitter


def _pattern(value, splitter: re.Pattern, where_: str) -> re.Pattern:
    if value in (None, True):
        return splitter
    if isinstance(value, re.Pattern):
        return value
    try:
        return re.compile(str(value))
    except re.error as exc:
        raise LoadError(f"{where_}: {value!r} is not a valid regular expression ({exc})") from None


def rewrite_same(table: Table, plans: list[ParentPlan]) -> Table:
    """``table`` with each ``same`` name written as its parent's name in the name column (separators kept)."""
    frame = None
    for plan in plans:
        names = same_names(plan.decisions)
        if not names:
            continue
        frame = table.frame.copy() if frame is None else frame
        frame[plan.name_column] = frame[plan.name_column].map(
            lambda cell, p=plan.pattern, n=names: None if cell is None else _replace(str(cell), p, n)
        )
    if frame is None:
        return table
    return Table(
        table.source, frame, table.rows, table.header_row, table.encoding, table.sheet, table.notes, table.rejects
    )


def _replace(cell: str, pattern: re.Pattern, names: dict[str, str]) -> str:
    """``cell`` with every name in ``names`` replaced, the separators as they were.

    Examples
    --------
    >>> _replace("甲（北京）公司 | 乙", re.compile(r"\\s*\\|\\s*"), {"甲（北京）公司": "甲北京公司"})
    '甲北京公司 | 乙'
    """
    out, pos = [], 0
    for m in pattern.finditer(cell):
        if m.end() == m.start():
            continue
        piece = cell[pos : m.start()]
        out += [names.get(piece.strip(), piece), m.group(0)]
        pos = m.end()
    piece = cell[pos:]
    out.append(names.get(piece.strip(), piece))
    return "".join(out)


def write_parents(graph, plans: list[ParentPlan], source: str) -> list[LoadReport]:
    """Aliases and links of every plan, in the caller's transaction; one report per kind written."""
    reports = []
    labels = list(dict.fromkeys(graph.schema.edge("SUBSIDIARY_OF").from_types))
    for plan in plans:
        label_of = {n: (graph.schema.node(t).label if isinstance(t, str) else None) for n, t in plan.labels.items()}
        fallback = plan.typing.get("default") or plan.typing.get("label") or "Enterprise"
        fallback = graph.schema.node(fallback).label if fallback != "Person" else "Enterprise"
        # a parent is an organisation even when its name looks like a person's (诺基亚, a bare brand)
        parent_of = {n: (fallback if t == "Person" else t) for n, t in label_of.items()}
        written = write_decisions(
            graph, plan.decisions, labels=labels, type_of=label_of.get, parent_type_of=parent_of.get, source=plan.source
        )
        for kind, n in written.items():
            report = LoadReport(source, kind, rows_read=len(plan.decisions), loaded=n)
            report.committed = True
            report.by_type = {kind: n}
            reports.append(report)
    return reports


__all__ = ["PARENT_KEYS", "ParentPlan", "plan_parents", "rewrite_same", "write_parents"]
