// Parks (高新区, 农业科技园区, 特色产业基地, 可持续发展实验区 ...) of given kinds and levels in a region (a stock).
// Parks carry no founding year: the count is the one the graph holds; $year is returned for the record.
// Columns: actual, year.
// params: {"prefix": "2111", "year": 2025, "kinds": ["high_tech_zone"], "levels": ["national", "provincial"]}
MATCH (p:Park)
WHERE p.region STARTS WITH $prefix
  AND p.park_kind IN $kinds
  AND p.level IN $levels
RETURN count(p) AS actual, $year AS year
