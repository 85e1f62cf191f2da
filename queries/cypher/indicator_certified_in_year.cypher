// Enterprises in a region certified with a qualification (资质) from $from to $year (新认定 / 新增, a flow).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 2025, "qualification": "high_tech_enterprise"}
MATCH (e:Enterprise)-[c:CERTIFIED_AS]->(q:Qualification {id: $qualification})
WHERE e.region STARTS WITH $prefix
  AND c.year >= $from AND c.year <= $year
RETURN count(DISTINCT e) AS actual
