// Enterprises in a region holding any qualification of given kinds and levels (市以上农业科技型企业, 节能减排示范企业 ...),
// optionally only of given scales (规模以上科技型企业: $scales = ["above_designated_size"]; [] = any scale).
// $from = 0 counts the stock valid in $year; a year counts the certifications of $from..$year (a flow).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 0, "kinds": ["agri_tech_enterprise"], "levels": ["municipal", "provincial", "national"], "scales": []}
MATCH (e:Enterprise)-[c:CERTIFIED_AS]->(q:Qualification)
WHERE e.region STARTS WITH $prefix
  AND q.qualification_kind IN $kinds
  AND (q.level IS NULL OR q.level IN $levels)
  AND (size($scales) = 0 OR e.scale IN $scales)
  AND ((c.year IS NULL AND $from = 0) OR (c.year >= $from AND c.year <= $year))
  AND (c.valid_until IS NULL OR c.valid_until >= $year OR $from > 0)
RETURN count(DISTINCT e) AS actual
