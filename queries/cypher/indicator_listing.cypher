// Technology enterprises (holding a qualification of given kinds) located in a region on the listing track (上市后备, 辅导,
// 申报, 已上市) in a year (a stock), or that reached it from $from to $year (进入上市轨道, a flow).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 0, "statuses": ["reserve", "tutoring", "filing", "listed"], "kinds": ["high_tech_enterprise", "tech_sme"]}
MATCH (e:Enterprise)-[:CERTIFIED_AS]->(q:Qualification)
WHERE e.region STARTS WITH $prefix
  AND q.qualification_kind IN $kinds
  AND e.listing_status IN $statuses
  AND ((e.listing_year IS NULL AND $from = 0) OR (e.listing_year >= $from AND e.listing_year <= $year))
RETURN count(DISTINCT e) AS actual
