// Share (%) of the enterprises located in a region, of given scales ([] = any) and holding a qualification of given kinds
// valid in $year ([] = any firm), that host an R&D platform or workstation (建有研发机构的比例, a stock); 0 when there are none.
// Columns: actual, enterprises, with_rd.
// params: {"prefix": "2111", "year": 2025, "kinds": ["high_tech_enterprise", "tech_sme"], "scales": ["above_designated_size"]}
MATCH (e:Enterprise)
WHERE e.region STARTS WITH $prefix
  AND (size($scales) = 0 OR e.scale IN $scales)
OPTIONAL MATCH (e)-[c:CERTIFIED_AS]->(q:Qualification)
WHERE q.qualification_kind IN $kinds
  AND (c.year IS NULL OR c.year <= $year)
  AND (c.valid_until IS NULL OR c.valid_until >= $year)
WITH e, count(q) AS qualifications
WHERE size($kinds) = 0 OR qualifications > 0
OPTIONAL MATCH (e)-[:HOSTS]->(p)
WITH e, count(p) AS platforms
WITH count(e) AS enterprises, coalesce(sum(CASE WHEN platforms > 0 THEN 1 ELSE 0 END), 0) AS with_rd
RETURN CASE WHEN enterprises = 0 THEN 0.0 ELSE 100.0 * with_rd / enterprises END AS actual, enterprises, with_rd
