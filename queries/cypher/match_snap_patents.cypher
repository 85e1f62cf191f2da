// Matching snapshot: patent applications of firms, universities and institutes with the application year (0 when unknown),
// the IPC classes and the title (text evidence).
// params: {}
MATCH (o:Enterprise)-[:APPLIED_FOR]->(p:Patent)
RETURN 'Enterprise' AS kind, o.id AS id, p.id AS item, coalesce(p.application_year, 0) AS year, p.ipc AS ipc, p.name AS text
UNION ALL
MATCH (o:University)-[:APPLIED_FOR]->(p:Patent)
RETURN 'University' AS kind, o.id AS id, p.id AS item, coalesce(p.application_year, 0) AS year, p.ipc AS ipc, p.name AS text
UNION ALL
MATCH (o:ResearchInstitute)-[:APPLIED_FOR]->(p:Patent)
RETURN 'ResearchInstitute' AS kind, o.id AS id, p.id AS item, coalesce(p.application_year, 0) AS year, p.ipc AS ipc, p.name AS text
