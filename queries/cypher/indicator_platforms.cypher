// R&D platforms of given kinds and levels hosted by organisations located in a region, existing in a year (a stock);
// with $from > 0 the ones founded from $from to $year (新建, a flow).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 0, "kinds": ["engineering_research_center"], "levels": ["provincial", "national"]}
MATCH (h)-[:HOSTS]->(p:RDPlatform)
WHERE h.region STARTS WITH $prefix
  AND p.platform_kind IN $kinds
  AND p.level IN $levels
  AND ((p.founded_year IS NULL AND $from = 0) OR (p.founded_year >= $from AND p.founded_year <= $year))
RETURN count(DISTINCT p) AS actual
