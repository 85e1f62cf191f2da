// Analytics: links between organisations, one row per pair and kind, with how many and the first year:
// cooperation (产学研合作), project (shared projects), patent (co-patents), academician (an academician stationed
// at a firm's workstation is affiliated with the other organisation). Links known by year $until.
// params: {"until": 2025}
MATCH (a:Enterprise)-[c:COOPERATES_WITH]->(b)
WHERE c.since IS NULL OR c.since <= $until
RETURN a.id AS source, b.id AS target, 'cooperation' AS kind, count(*) AS n, min(c.since) AS year
UNION ALL
MATCH (a)-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(b)
WHERE a.id < b.id AND (p.start_year IS NULL OR p.start_year <= $until)
RETURN a.id AS source, b.id AS target, 'project' AS kind, count(DISTINCT p) AS n, min(p.start_year) AS year
UNION ALL
MATCH (a)-[:APPLIED_FOR]->(p:Patent)<-[:APPLIED_FOR]-(b)
WHERE a.id < b.id AND (p.application_year IS NULL OR p.application_year <= $until)
RETURN a.id AS source, b.id AS target, 'patent' AS kind, count(DISTINCT p) AS n, min(p.application_year) AS year
UNION ALL
MATCH (a:Enterprise)-[:HOSTS]->(w:AcademicianWorkstation)<-[s:STATIONED_AT]-(p:Person)-[:AFFILIATED_WITH]->(b)
WHERE s.since IS NULL OR s.since <= $until
RETURN a.id AS source, b.id AS target, 'academician' AS kind, count(DISTINCT p) AS n, min(s.since) AS year
