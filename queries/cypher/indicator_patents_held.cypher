// Granted patents of given kinds held in a year by organisations located in a region (拥有量, a stock):
// granted in or before $year. The numerator of 每万人发明专利拥有量.
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "kinds": ["invention"]}
MATCH (o)-[:APPLIED_FOR]->(p:Patent)
WHERE o.region STARTS WITH $prefix
  AND p.patent_kind IN $kinds
  AND p.grant_year <= $year
RETURN count(DISTINCT p) AS actual
