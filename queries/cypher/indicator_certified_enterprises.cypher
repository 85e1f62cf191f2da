// Enterprises in a region holding a qualification (资质) valid in a year (a stock), or certified from $from to $year (additions).
// Region: $prefix is the region code without its trailing zero pairs (2111 = 盘锦市).
// $from = 0 counts the stock valid in $year; a year counts the certifications of $from..$year (新认定, a flow).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 0, "qualification": "high_tech_enterprise"}
MATCH (e:Enterprise)-[c:CERTIFIED_AS]->(q:Qualification {id: $qualification})
WHERE e.region STARTS WITH $prefix
  AND ((c.year IS NULL AND $from = 0) OR (c.year >= $from AND c.year <= $year))
  AND (c.valid_until IS NULL OR c.valid_until >= $year OR $from > 0)
RETURN count(DISTINCT e) AS actual
