"""Partner candidates at group level: a campus, an institute of an academy or a subsidiary counted for its group.

:func:`rollup_candidates` takes the ranked candidates of
:func:`~kg.queries.matching.partners.match_partners` (every candidate, not
only the top) and returns one row per group (the top of each candidate's
SUBSIDIARY_OF / BRANCH_OF chain, :func:`kg.groups.rollup_groups`): the
group's score and score parts are those of its best unit, its evidence is
that of all its units (``peers``, ``projects``, ``patents`` or, ranked by the
learned model, ``shared_partners`` and ``shared_items`` summed; shared
fields, keywords and academicians united; ``existing`` if any unit is a
partner, ``since`` the earliest), ``units`` names the units, and ``why``
is the best unit's reason, followed by the other units when there are some.

Examples
--------
>>> import pandas as pd
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("University", [{"id": "U", "name": "哈尔滨工业大学"}, {"id": "W", "name": "哈尔滨工业大学（威海）"},
...                                   {"id": "V", "name": "丙大学"}])
>>> _ = g.upsert_edges("BRANCH_OF", [{"from_id": "W", "to_id": "U", "source": "t"}])
>>> ranked = pd.DataFrame({"rank": [1, 2, 3], "id": ["W", "V", "U"], "name": ["哈尔滨工业大学（威海）", "丙大学", "哈尔滨工业大学"],
...                        "kind": "University", "score": [0.9, 0.5, 0.4], "peers": [1, 2, 3], "projects": [1, 0, 2],
...                        "why_zh": ["甲", "乙", "丙"], "why_en": ["a", "b", "c"]})
>>> out = rollup_candidates(g, ranked)
>>> out[["rank", "id", "name", "score", "peers", "projects", "units"]].values.tolist()
[[1, 'U', '哈尔滨工业大学', 0.9, 4, 3, ['哈尔滨工业大学（威海）', '哈尔滨工业大学']], [2, 'V', '丙大学', 0.5, 2, 0, ['丙大学']]]
"""

from __future__ import annotations

import pandas as pd

from kg.groups import rollup_groups

#: evidence counted over the units of a group
SUMMED = ("peers", "projects", "patents", "shared_partners", "shared_items")  # hand weights; learned model
UNITED = ("shared_fields", "keywords", "academicians")


def rollup_candidates(graph, table: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """One row per group of the ranked candidates ``table``, best first (score, then id); the first ``top``."""
    if table.empty:
        return table.assign(units=pd.Series(dtype=object))
    rolled = rollup_groups(graph, table.sort_values("rank", kind="stable").reset_index(drop=True))
    rows = []
    for group_id, units in rolled.groupby("group_id", sort=False):
        best = units.iloc[0].to_dict()  # ranked best first
        row = {
            **best,
            "id": group_id,
            "name": best["group_name"] if isinstance(best["group_name"], str) else best["name"],
            "units": units["name"].tolist(),
        }
        for col in SUMMED:
            if col in units:
                row[col] = int(units[col].sum())
        for col in UNITED:
            if col in units:
                row[col] = list(dict.fromkeys(x for cell in units[col] if isinstance(cell, list) for x in cell))
        if "existing" in units:
            row["existing"] = bool(units["existing"].any())
        if "since" in units:
            years = [int(y) for y in units["since"] if y is not None and y == y]
            row["since"] = min(years) if years else None
        if len(units) > 1:
            others = "、".join(units["name"].iloc[1:])
            if "why_zh" in row:
                row["why_zh"] = f"{best['why_zh']}（另含{others}）"
            if "why_en" in row:
                row["why_en"] = f"{best['why_en']} (with {others})"
        rows.append(row)
    out = pd.DataFrame(rows).drop(columns=["group_id", "group_name"])
    out = out.sort_values(["score", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out["rank"] = range(1, len(out) + 1)
    out = out[[*table.columns, "units"]]
    out.attrs.update({**table.attrs, "rollup": "group"})
    return out.head(top) if top else out


__all__ = ["rollup_candidates"]
