// Persons of given talent-programme roles (领军型 / 创新型 / 创业型人才 ...) working for an organisation located in a region:
// in the programme in a year (a stock), or selected / brought in from $from to $year (引进, a flow).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 0, "roles": ["leading_talent"]}
MATCH (p:Person)-[:AFFILIATED_WITH]->(o)
WHERE o.region STARTS WITH $prefix
  AND ((p.talent_year IS NULL AND $from = 0) OR (p.talent_year >= $from AND p.talent_year <= $year))
UNWIND p.roles AS role
WITH p, role
WHERE role IN $roles
RETURN count(DISTINCT p) AS actual
