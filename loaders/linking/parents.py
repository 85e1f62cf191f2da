"""A name column beside its parent or normalised name (申请人 / 标准化申请人): aliases or group links; roll-up to groups.

:func:`pair_decisions` classifies each distinct pair with the rules of
:func:`~kg.loaders.linking.rules.classify` (``asserted=True``: the source
states the parent); :func:`link_parents` writes them: a ``same`` pair makes
the name an alias of the parent's node, ``subsidiary`` a SUBSIDIARY_OF link,
``part_of`` a BRANCH_OF link, each with ``source``.  Cells holding several
names separated by `` | `` (CNIPA applicants) are paired position by
position when both cells hold as many names.

:func:`rollup_groups` (from :mod:`kg.groups`) adds the group each unit
belongs to (following SUBSIDIARY_OF and BRANCH_OF to the top) to a frame,
so counts can be made per group.  A mapping declares such a column with
``parent:`` on a node entry (:mod:`kg.loaders.mapping`), which calls
:func:`pair_decisions` and :func:`write_decisions` in the load's transaction.

Examples
--------
>>> df = pd.DataFrame({"申请人": ["联想（北京）有限公司", "上海曼恒数字技术股份有限公司"],
...                    "标准化申请人": ["联想集团有限公司", "上海曼恒数字技术有限公司"]})
>>> pair_decisions(df, "申请人", "标准化申请人")[["name", "kind"]].values.tolist()
[['上海曼恒数字技术股份有限公司', 'same'], ['联想（北京）有限公司', 'subsidiary']]
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from kg.errors import LoadError
from kg.groups import rollup_groups  # noqa: F401  (the core's; kept here for existing imports)
from kg.loaders.linking.rules import classify
from kg.loaders.resolve import NameIndex, mint_id, stored_aliases

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


def split_names(cell: str, sep: str | re.Pattern = SEPARATOR) -> list[str]:
    """The names of one cell (``sep``: a separator text, spaces around it ignored, or a compiled pattern).

    Examples
    --------
    >>> split_names("甲公司 | 乙大学"), split_names("甲公司；乙大学", re.compile(r"\\s*[;；]\\s*"))
    (['甲公司', '乙大学'], ['甲公司', '乙大学'])
    """
    parts = sep.split(cell) if isinstance(sep, re.Pattern) else cell.split(sep.strip())
    return [x.strip() for x in parts]


def pairs(frame: pd.DataFrame, name_col: str, parent_col: str, sep: str | re.Pattern = SEPARATOR) -> pd.DataFrame:
    """Distinct ``(name, parent)`` pairs that differ, with how many rows carry each (``rows``).

    Cells holding several names are paired position by position when both
    hold as many; other rows are left out.
    """
    for col in (name_col, parent_col):
        if col not in frame:
            raise LoadError(f"no column {col!r}; columns are {', '.join(map(str, frame.columns))}")
    out = []
    for a, b in zip(frame[name_col].fillna("").astype(str), frame[parent_col].fillna("").astype(str)):
        names, parents = split_names(a, sep), split_names(b, sep)
        if len(names) != len(parents):
            continue
        out += [(x, y) for x, y in zip(names, parents) if x and y and x != y]
    df = pd.DataFrame(out, columns=["name", "parent"])
    return df.groupby(["name", "parent"]).size().rename("rows").reset_index()


def pair_decisions(
    frame: pd.DataFrame, name_col: str, parent_col: str, sep: str | re.Pattern = SEPARATOR
) -> pd.DataFrame:
    """Each distinct pair with ``kind`` and ``reasons`` (see :func:`classify`)."""
    df = pairs(frame, name_col, parent_col, sep)
    verdicts = [classify(a, b, asserted=True) for a, b in zip(df["name"], df["parent"])]
    return df.assign(kind=[v.kind for v in verdicts], reasons=["; ".join(v.reasons) for v in verdicts])


def same_names(decisions: pd.DataFrame) -> dict[str, str]:
    """``{name: parent}`` of the ``same`` decisions whose name has one parent only (to write a unit once).

    Examples
    --------
    >>> d = pd.DataFrame({"name": ["甲（北京）公司", "乙"], "parent": ["甲北京公司", "丙"], "kind": ["same", "subsidiary"]})
    >>> same_names(d)
    {'甲（北京）公司': '甲北京公司'}
    """
    same = decisions[decisions["kind"] == "same"]
    once = same.drop_duplicates("name", keep=False)
    return dict(zip(once["name"], once["parent"]))


def link_parents(
    graph,
    frame: pd.DataFrame,
    name_col: str,
    parent_col: str,
    *,
    label: str = "Enterprise",
    source: str | None = None,
    sep: str | re.Pattern = SEPARATOR,
) -> pd.DataFrame:
    """Write the decisions of :func:`pair_decisions` into ``graph`` in one transaction; returns them.

    Names are resolved against stored names and aliases of ``label``; units
    not stored yet are created with a minted id.
    """
    decisions = pair_decisions(frame, name_col, parent_col, sep)
    with graph.transaction():
        write_decisions(graph, decisions, labels=[label], source=source or f"{name_col} -> {parent_col}")
    return decisions


def write_decisions(
    graph, decisions: pd.DataFrame, *, labels=("Enterprise",), type_of=None, parent_type_of=None, source: str
) -> dict[str, int]:
    """Aliases (``same``), SUBSIDIARY_OF (``subsidiary``) and BRANCH_OF (``part_of``) links for ``decisions``.

    Names are resolved against the stored names and aliases of ``labels``; a
    unit not stored yet is created with the label ``type_of(name)`` gives
    (default: the first of ``labels``; ``parent_type_of`` for parents, default
    ``type_of``); a pair with a name given no organisation label (None, or not
    one of ``labels``) is left out.  Runs
    in the caller's transaction; returns how many aliases and links were
    written: ``{"aliases": n, "SUBSIDIARY_OF": n, "BRANCH_OF": n}`` (distinct links).
    """
    labels = list(labels)
    index = NameIndex(graph, labels)
    type_of = type_of or (lambda name: labels[0])
    parent_type_of = parent_type_of or type_of
    written = {"aliases": 0, "SUBSIDIARY_OF": 0, "BRANCH_OF": 0}
    links: dict[str, dict] = {"SUBSIDIARY_OF": {}, "BRANCH_OF": {}}
    created: dict[str, dict] = {label: {} for label in labels}
    aliases: dict[tuple[str, str], list[str]] = {}

    def node(name: str, typing=type_of) -> tuple[str, str] | None:
        hit = index.lookup(name)
        if hit:
            return sorted(hit)[0]
        label = typing(name)
        if label not in labels:
            return None
        id_ = mint_id(label, name)
        created[label][id_] = {"id": id_, "name": name, "source": source}
        index.add(label, id_, name)
        return label, id_

    for row in decisions.itertuples(index=False):
        if row.kind == "same":
            parent = node(row.parent, parent_type_of)
            if parent is None:
                continue
            aliases.setdefault(parent, []).append(row.name)
            index.add(*parent, row.name)
        elif row.kind in ("subsidiary", "part_of"):
            edge = "SUBSIDIARY_OF" if row.kind == "subsidiary" else "BRANCH_OF"
            unit, group = node(row.name), node(row.parent, parent_type_of)
            if unit is None or group is None or unit == group:
                continue
            links[edge].setdefault(
                (unit, group),
                {"from_id": unit[1], "to_id": group[1], "from_type": unit[0], "to_type": group[0], "source": source},
            )
    for label, rows in created.items():  # in batches: one statement per label, not per unit
        if rows:
            graph.upsert_nodes(label, list(rows.values()))
    for label in labels:
        ids = [i for (lab, i) in aliases if lab == label]
        if not ids:
            continue
        stored = stored_aliases(graph, label, ids)
        updates = []
        for i in ids:
            name, old = stored.get(i, (None, []))
            new = [a for a in dict.fromkeys(aliases[(label, i)]) if a not in old and a != name]
            if new:
                updates.append({"id": i, "aliases": [*old, *new]})
                written["aliases"] += len(new)
        if updates:
            graph.upsert_nodes(label, updates)
    for edge, rows in links.items():
        if rows:
            graph.upsert_edges(edge, list(rows.values()))
        written[edge] = len(rows)
    return written
