// Matching snapshot: project participations of firms, universities and institutes with the project's start year (0 when unknown).
// params: {}
MATCH (o:Enterprise)-[:PARTICIPATES_IN]->(p:Project)
RETURN 'Enterprise' AS kind, o.id AS id, p.id AS item, coalesce(p.start_year, 0) AS year
UNION ALL
MATCH (o:University)-[:PARTICIPATES_IN]->(p:Project)
RETURN 'University' AS kind, o.id AS id, p.id AS item, coalesce(p.start_year, 0) AS year
UNION ALL
MATCH (o:ResearchInstitute)-[:PARTICIPATES_IN]->(p:Project)
RETURN 'ResearchInstitute' AS kind, o.id AS id, p.id AS item, coalesce(p.start_year, 0) AS year
