// Academician workstations (院士工作站) of given levels in a region, existing in a year (a stock);
// with $from > 0 the ones founded from $from to $year (新建, a flow).
// Columns: actual, with_academician.
// params: {"prefix": "2111", "year": 2025, "from": 0, "levels": ["provincial", "municipal"]}
MATCH (w:AcademicianWorkstation)
WHERE w.region STARTS WITH $prefix
  AND (w.level IS NULL OR w.level IN $levels)
  AND ((w.founded_year IS NULL AND $from = 0) OR (w.founded_year >= $from AND w.founded_year <= $year))
OPTIONAL MATCH (a:Person)-[:STATIONED_AT]->(w)
WITH w, count(a) AS academicians
RETURN count(w) AS actual, coalesce(sum(CASE WHEN academicians > 0 THEN 1 ELSE 0 END), 0) AS with_academician
