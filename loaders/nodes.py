"""Rows of a node sheet -> validated, resolved node rows.

Examples
--------
>>> import pandas as pd
>>> from kg import KnowledgeGraph
>>> from kg.loaders.load import load_frame
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = load_frame(g, pd.DataFrame({"企业名称": ["甲科技有限责任公司", "甲科技 有限公司"]}), "Enterprise")
>>> g.query("MATCH (e:Enterprise) RETURN e.name AS name, e.aliases AS aliases").values.tolist()
[['甲科技有限责任公司', ['甲科技 有限公司']]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.errors import LoadError
from kg.loaders.codes import CODE_PROPERTIES, USCC_HEADERS, codes_column
from kg.loaders.columns import clean_names, convert_column, refuse_bad_text
from kg.loaders.headers import ColumnMap, fold_header
from kg.loaders.regions import region_codes
from kg.loaders.resolve import NameIndex, as_list, mint_id
from kg.loaders.sources import Table
from kg.loaders.stream import NotStreamable
from kg.normalise import name_key
from kg.report import LoadReport
from kg.stored import positions, stored_nodes


def prepare_nodes(
    graph, table: Table, cmap: ColumnMap, report: LoadReport, *, streaming: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Convert, validate and resolve a node sheet.

    Returns one row per distinct node (good rows only), and what the store holds for their keys
    (:func:`kg.stored.stored_nodes`, for the upsert's diff).  ``streaming``: the table is one chunk of a
    file; a row without an id (found by its name among all the file's rows) makes the file be read whole
    (:class:`kg.loaders.stream.NotStreamable`).
    """
    label = cmap.type
    node = graph.schema.node(label)
    props = node.properties
    frame = table.frame
    rows = table.rows
    n = len(frame)
    bad = np.zeros(n, dtype=bool)
    out: dict[str, pd.Series] = {}
    id_col, name_col = cmap.column_of("id"), cmap.column_of("name")
    if id_col is None and name_col is None:
        raise LoadError(
            f"{report.source}: a {label} sheet needs a {props['name'].title} (name) or {props['id'].title} (id) column; "
            f"columns found: {', '.join(table.headers)}"
        )
    for column, key in cmap.keys.items():
        cells = frame[column].reset_index(drop=True)
        if key in CODE_PROPERTIES or key == "name":  # other columns are checked by convert_column
            cells = refuse_bad_text(key, column, cells, report, rows, bad)
        if key in CODE_PROPERTIES and props[key].range == "string" and not props[key].multivalued:
            is_uscc = label == "Enterprise" and (fold_header(column) in USCC_HEADERS or key == "uscc")
            out[key] = codes_column(column, cells, report, rows, bad, uscc=is_uscc)
        elif key == "name":
            out[key] = clean_names(cells)
        else:
            values, errors = convert_column(props[key], cells)
            for pos, reason in errors.items():
                report.reject(rows[pos], column, cells.iloc[pos], reason)
                bad[pos] = True
            out[key] = values
    if "region" in props and ("region" in out or "address" in out):
        out["region"] = region_codes(out.get("region"), out.get("address"))
    ids = out.get("id", pd.Series([None] * n, dtype=object))
    names = out.get("name", pd.Series([None] * n, dtype=object))
    if label == "Enterprise":
        if "uscc" not in out and id_col is not None and fold_header(id_col) in USCC_HEADERS:
            out["uscc"] = ids
        elif "uscc" in out:
            ids = ids.where(ids.notna(), out["uscc"])
    former = out.get("aliases")
    if streaming and label != "Person" and (ids.isna().to_numpy() & ~bad).any():
        raise NotStreamable(f"{report.source}: rows without an id are matched by name across the whole file")
    ids = _resolve_missing_ids(graph, label, ids, names, former, rows, bad, report, name_col or id_col)
    out["id"] = ids
    out["source"] = pd.Series([report.source] * n, dtype=object)
    out["source_row"] = pd.Series(rows, dtype=object)
    result = pd.DataFrame(out)[~bad].reset_index(drop=True)
    # one read of what the store holds for these keys, shared by the alias merge and the upsert's diff
    columns = ["name", "aliases", *(c for c in result.columns if c in props)]
    stored = stored_nodes(graph, label, result["id"].tolist(), columns)  # repeated keys are read once
    return _merge_variants(graph, label, result, stored), stored


def combine_node_chunks(
    graph, label: str, parts: list[pd.DataFrame], held: list[pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The prepared chunks of one file as one set of rows: a key in several chunks becomes one row (other
    spellings of its name join its aliases), as if the file had been prepared whole."""
    stored = pd.concat(held) if len(held) > 1 else held[0]
    stored = stored[~stored.index.duplicated()]
    rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    again = rows["id"].duplicated(keep=False)
    if again.any():
        merged = _merge_variants(graph, label, rows[again].reset_index(drop=True), stored)
        rows = pd.concat([rows[~again], merged], ignore_index=True)
    return rows, stored


def _resolve_missing_ids(
    graph, label, ids: pd.Series, names: pd.Series, former: pd.Series | None, rows, bad, report, column
) -> pd.Series:
    """Give rows without an id the id of the node their name (or a former name in the row) means, or a new stable id."""
    missing = ids.isna().to_numpy() & ~bad
    if not missing.any():
        return ids
    ids = ids.copy()
    known: dict[str, str] = {}
    for id_, name in zip(ids.tolist(), names.tolist()):
        if id_ is not None and name is not None:
            known.setdefault(name_key(name), id_)
    index = NameIndex(graph, [label]) if graph.count(label) else None
    for pos in np.flatnonzero(missing):
        name = names.iloc[pos]
        if name is None:
            report.reject(rows[pos], column, None, f"a {label} row needs a name or an id")
            bad[pos] = True
            continue
        key = name_key(name)
        if label == "Person":  # never merge persons by name alone
            ids.iloc[pos] = mint_id(label, f"{key}|{report.source}|{rows[pos]}")
            continue
        spellings = [name, *(former.iloc[pos] or [] if former is not None else [])]
        in_file = [known[name_key(s)] for s in spellings if name_key(s) in known]
        if in_file:
            ids.iloc[pos] = in_file[0]
            known[key] = in_file[0]
            continue
        hits = set()
        if index is not None:
            for text in spellings:
                hits |= index.lookup(text)
        if len(hits) > 1:
            report.reject(
                rows[pos],
                column,
                name,
                f"{name!r} matches several stored {label} nodes ({', '.join(sorted(i for _, i in hits))}); give the id",
            )
            bad[pos] = True
            continue
        ids.iloc[pos] = next(iter(hits))[1] if hits else mint_id(label, key)
        known[key] = ids.iloc[pos]
    return ids


def _merge_variants(graph, label: str, rows: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """One row per id; every other spelling of the name joins ``aliases`` (with what the store has)."""
    if rows.empty:
        return rows
    dup = rows["id"].duplicated(keep=False)
    if not dup.any() and len(stored.index) == 0:
        return rows
    # rows that need merging: repeated keys, or a stored node whose name differs or that gets aliases
    names = rows["name"] if "name" in rows else pd.Series([None] * len(rows), index=rows.index)
    at = positions(rows["id"].tolist(), stored)
    is_stored = pd.Series(at >= 0, index=rows.index)
    held = stored["name"].to_numpy(dtype=object) if "name" in stored else np.full(len(stored), None)
    stored_name = pd.Series(np.append(held, [None])[at], index=rows.index, dtype=object)  # -1: the None appended
    renamed = is_stored & names.notna() & (names != stored_name)
    if "aliases" in rows:
        renamed |= is_stored & rows["aliases"].notna()
    involved = dup | renamed
    if not involved.any():
        return rows.assign(name=names.where(names.notna(), stored_name)) if len(stored.index) else rows
    simple = rows[~involved]
    merged = []
    for id_, group in rows[involved].groupby("id", sort=False):
        rec: dict = {}
        for r in group.to_dict("records"):
            rec.update({k: v for k, v in r.items() if v is not None and not (isinstance(v, float) and v != v)})
        stored_name, stored_alias = (
            (stored.at[id_, "name"], as_list(stored.at[id_, "aliases"])) if id_ in stored.index else (None, [])
        )
        given = group["name"].dropna() if "name" in group else pd.Series([], dtype=object)
        canonical = stored_name or (given.iloc[0] if len(given) else None)
        variants = list(stored_alias)
        if "aliases" in group:
            for a in group["aliases"].dropna():
                variants += list(a)
        if "name" in group:
            variants += [v for v in group["name"].dropna().tolist()]
        aliases = [v for v in dict.fromkeys(variants) if v and v != canonical]
        if canonical:
            rec["name"] = canonical
        rec["aliases"] = aliases or None
        merged.append(rec)
    return pd.concat([simple, pd.DataFrame(merged)], ignore_index=True) if merged else simple
