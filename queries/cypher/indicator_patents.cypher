// Patents applied for (or granted) from $from to $year by organisations located in a region (a flow).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 2025, "kinds": ["invention"], "granted": false}
MATCH (o)-[:APPLIED_FOR]->(p:Patent)
WHERE o.region STARTS WITH $prefix
  AND p.patent_kind IN $kinds
  AND ((NOT $granted AND p.application_year >= $from AND p.application_year <= $year)
       OR ($granted AND p.grant_year >= $from AND p.grant_year <= $year))
RETURN count(DISTINCT p) AS actual
