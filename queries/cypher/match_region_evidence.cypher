// Matching (batch): the graph evidence of match_firm_evidence for every firm whose region code starts with
// $prefix and whose id lies in [$lo, $hi) (a chunk of the region's firms, so the expansion stays bounded),
// one row per (firm, candidate, kind), known by year $until (one pass per chunk instead of one query per firm).
// params: {"prefix": "211102", "lo": "", "hi": "~", "until": 2025}
MATCH (e:Enterprise)-[c:COOPERATES_WITH]->(u)
WHERE e.region STARTS WITH $prefix AND e.id >= $lo AND e.id < $hi AND (c.since IS NULL OR c.since <= $until)
RETURN e.id AS firm, u.id AS id, 'partner' AS evidence, coalesce(c.since, 0) AS n, '' AS detail
UNION ALL
MATCH (e:Enterprise)-[c1:COOPERATES_WITH]->(x)<-[c2:COOPERATES_WITH]-(o:Enterprise)-[c3:COOPERATES_WITH]->(u)
WHERE e.region STARTS WITH $prefix AND e.id >= $lo AND e.id < $hi AND o.id <> e.id AND u.id <> x.id
  AND (c1.since IS NULL OR c1.since <= $until) AND (c2.since IS NULL OR c2.since <= $until)
  AND (c3.since IS NULL OR c3.since <= $until)
RETURN e.id AS firm, u.id AS id, 'peers' AS evidence, count(DISTINCT o) AS n, '' AS detail
UNION ALL
MATCH (e:Enterprise)-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(u)
WHERE e.region STARTS WITH $prefix AND e.id >= $lo AND e.id < $hi AND u.id <> e.id AND (p.start_year IS NULL OR p.start_year <= $until)
RETURN e.id AS firm, u.id AS id, 'projects' AS evidence, count(DISTINCT p) AS n, '' AS detail
UNION ALL
MATCH (e:Enterprise)-[:APPLIED_FOR]->(p:Patent)<-[:APPLIED_FOR]-(u)
WHERE e.region STARTS WITH $prefix AND e.id >= $lo AND e.id < $hi AND u.id <> e.id AND (p.application_year IS NULL OR p.application_year <= $until)
RETURN e.id AS firm, u.id AS id, 'patents' AS evidence, count(DISTINCT p) AS n, '' AS detail
UNION ALL
MATCH (e:Enterprise)-[:HOSTS]->(w:AcademicianWorkstation)<-[:STATIONED_AT]-(p:Person)-[:AFFILIATED_WITH]->(u)
WHERE e.region STARTS WITH $prefix AND e.id >= $lo AND e.id < $hi
RETURN e.id AS firm, u.id AS id, 'academician' AS evidence, 1 AS n, p.name AS detail
