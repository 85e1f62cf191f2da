// Share (%) of the above-designated-size technology enterprises (qualifications of given kinds, valid in $year) located in a
// region that host an R&D platform or workstation (规模以上科技型企业建有研发机构的比例, a stock); 0 when there are none.
// Columns: actual, enterprises, with_rd.
// params: {"prefix": "2111", "year": 2025, "kinds": ["high_tech_enterprise", "tech_sme"]}
MATCH (e:Enterprise)-[c:CERTIFIED_AS]->(q:Qualification)
WHERE e.region STARTS WITH $prefix
  AND e.scale = 'above_designated_size'
  AND q.qualification_kind IN $kinds
  AND (c.year IS NULL OR c.year <= $year)
  AND (c.valid_until IS NULL OR c.valid_until >= $year)
WITH DISTINCT e
OPTIONAL MATCH (e)-[:HOSTS]->(p)
WITH e, count(p) AS platforms
WITH count(e) AS enterprises, sum(CASE WHEN platforms > 0 THEN 1 ELSE 0 END) AS with_rd
RETURN CASE WHEN enterprises = 0 THEN 0.0 ELSE 100.0 * with_rd / enterprises END AS actual, enterprises, with_rd
