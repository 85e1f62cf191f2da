// Enterprises in a region holding a qualification (资质) valid in a year (a stock).
// Region: $prefix is the region code without its trailing zero pairs (2111 = 盘锦市).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "qualification": "high_tech_enterprise"}
MATCH (e:Enterprise)-[c:CERTIFIED_AS]->(q:Qualification {id: $qualification})
WHERE e.region STARTS WITH $prefix
  AND (c.year IS NULL OR c.year <= $year)
  AND (c.valid_until IS NULL OR c.valid_until >= $year)
RETURN count(DISTINCT e) AS actual
