"""Input templates: one CSV header per type, with the Chinese column names the loaders read.

The demo generator writes exactly these files; ``kg template Enterprise >
enterprises.csv`` gives a user the same header to fill in.

Examples
--------
>>> template_header("SUBFIELD_OF")
['子领域', '上级领域', '来源', '来源行号']
>>> template_csv("Region").splitlines()[0]
'行政区划代码,区划名称,区划级别,别名,简介,来源,来源行号'
"""

from __future__ import annotations

import csv
import io

from kg.schema import Schema, load_schema

FROM_TYPE = "起点类型"
TO_TYPE = "终点类型"


def template_columns(type_: str, schema: Schema | None = None) -> list[tuple[str, str]]:
    """``(key, header)`` pairs of a type's template, in order.

    Node templates have one column per property (a title two properties
    share appears once, for the first: on enterprise sheets 统一社会信用代码 is
    the key).  Edge templates start with the two endpoint columns, then
    起点类型 / 终点类型 where several endpoint types are allowed, then the properties.
    """
    schema = schema or load_schema()
    out: list[tuple[str, str]] = []
    if schema.is_node(type_):
        props = schema.node(type_).properties
    else:
        e = schema.edge(type_)
        props = e.properties
        out = [("from_id", e.from_title), ("to_id", e.to_title)]
        if len(e.from_types) > 1:
            out.append(("from_type", FROM_TYPE))
        if len(e.to_types) > 1:
            out.append(("to_type", TO_TYPE))
    seen = {h for _, h in out}
    for p in props.values():
        if p.title not in seen:
            seen.add(p.title)
            out.append((p.name, p.title))
    return out


def template_header(type_: str, schema: Schema | None = None) -> list[str]:
    """The header row of a type's template."""
    return [h for _, h in template_columns(type_, schema)]


def template_csv(type_: str, schema: Schema | None = None) -> str:
    """The template as CSV text (header row only)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(template_header(type_, schema))
    return buf.getvalue()


def template_help(type_: str, schema: Schema | None = None) -> list[dict]:
    """One row per template column: header, property, type, required, other accepted headers, description."""
    schema = schema or load_schema()
    rows = []
    is_node = schema.is_node(type_)
    props = schema.node(type_).properties if is_node else schema.edge(type_).properties
    for key, header in template_columns(type_, schema):
        p = props.get(key)
        if p is None:
            e = schema.edge(type_)
            side = key.split("_")[0]
            types = e.from_types if side == "from" else e.to_types
            syn = e.from_aliases if key == "from_id" else e.to_aliases if key == "to_id" else ()
            rows.append(
                {
                    "header": header,
                    "property": key,
                    "type": "id or name" if key.endswith("_id") else "label",
                    "required": key.endswith("_id"),
                    "also_accepted": "、".join(syn),
                    "description": f"{'/'.join(types)} ({'id, name or alias' if key.endswith('_id') else 'which type'})",
                }
            )
            continue
        kind = (p.enum and "、".join(schema.enums[p.enum].values.values())) or p.range
        rows.append(
            {
                "header": header,
                "property": key,
                "type": ("list of " if p.multivalued else "") + kind,
                "required": p.required,
                "also_accepted": "、".join(a for a in p.aliases),
                "description": p.description,
            }
        )
    return rows
