// Technology demands (技术难题 / 技术需求) posted from $from to $year by enterprises located in a region (征集, a flow).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 2025}
MATCH (e:Enterprise)-[:POSTED]->(d:TechDemand)
WHERE e.region STARTS WITH $prefix
  AND d.year >= $from AND d.year <= $year
RETURN count(DISTINCT d) AS actual
