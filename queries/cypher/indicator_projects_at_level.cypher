// Science-and-technology programme projects (科技计划项目) of given levels approved (立项) from $from to $year and led by an
// organisation located in a region: how many, and the funds granted by the programmes (上级科技拨款, 万元).
// Columns: actual, funding.
// params: {"prefix": "2111", "year": 2025, "from": 2025, "levels": ["national", "provincial", "municipal"]}
MATCH (o)-[r:PARTICIPATES_IN]->(p:Project)
WHERE r.role = 'lead'
  AND o.region STARTS WITH $prefix
  AND p.level IN $levels
  AND p.start_year >= $from AND p.start_year <= $year
WITH DISTINCT p
RETURN count(p) AS actual, coalesce(sum(p.funding), 0) AS funding
