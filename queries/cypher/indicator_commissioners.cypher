// Science-and-technology commissioners (科技特派员) serving units (firms, parks, villages) located in a region in a year
// (a stock: since <= $year <= until), or sent from $from to $year (选派 / 新增, a flow).
// Columns: actual, units (the units served).
// params: {"prefix": "2111", "year": 2025, "from": 0}
MATCH (p:Person)-[s:SERVES]->(u)
WHERE 'sci_tech_commissioner' IN p.roles
  AND coalesce(u.region, u.id) STARTS WITH $prefix
  AND ((s.since IS NULL AND $from = 0) OR (s.since >= $from AND s.since <= $year))
  AND (s.until IS NULL OR s.until >= $year OR $from > 0)
RETURN count(DISTINCT p) AS actual, count(DISTINCT u) AS units
