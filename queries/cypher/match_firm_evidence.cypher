// Matching: every piece of graph evidence around one firm, known by year $until, one row per (candidate, kind):
//   partner      an existing academic partner (n = first year);
//   peers        partners of the firm's peers: firms sharing a partner with it also work with the candidate;
//   projects     projects the firm and the candidate took part in together;
//   patents      patents the firm and the candidate applied for together;
//   academician  an academician stationed at the firm's workstation is affiliated with the candidate (detail = name).
// params: {"firm": "91211102104289785B", "until": 2025}
MATCH (e:Enterprise {id: $firm})-[c:COOPERATES_WITH]->(u)
WHERE c.since IS NULL OR c.since <= $until
RETURN u.id AS id, 'partner' AS evidence, coalesce(c.since, 0) AS n, '' AS detail
UNION ALL
MATCH (e:Enterprise {id: $firm})-[c1:COOPERATES_WITH]->(x)<-[c2:COOPERATES_WITH]-(o:Enterprise)-[c3:COOPERATES_WITH]->(u)
WHERE o.id <> $firm AND u.id <> x.id
  AND (c1.since IS NULL OR c1.since <= $until) AND (c2.since IS NULL OR c2.since <= $until)
  AND (c3.since IS NULL OR c3.since <= $until)
RETURN u.id AS id, 'peers' AS evidence, count(DISTINCT o) AS n, '' AS detail
UNION ALL
MATCH (e:Enterprise {id: $firm})-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(u)
WHERE u.id <> $firm AND (p.start_year IS NULL OR p.start_year <= $until)
RETURN u.id AS id, 'projects' AS evidence, count(DISTINCT p) AS n, '' AS detail
UNION ALL
MATCH (e:Enterprise {id: $firm})-[:APPLIED_FOR]->(p:Patent)<-[:APPLIED_FOR]-(u)
WHERE u.id <> $firm AND (p.application_year IS NULL OR p.application_year <= $until)
RETURN u.id AS id, 'patents' AS evidence, count(DISTINCT p) AS n, '' AS detail
UNION ALL
MATCH (e:Enterprise {id: $firm})-[:HOSTS]->(w:AcademicianWorkstation)<-[:STATIONED_AT]-(p:Person)-[:AFFILIATED_WITH]->(u)
RETURN u.id AS id, 'academician' AS evidence, 1 AS n, p.name AS detail
