// Matching index: more text on what each university / institute offers: patent titles and experts' expertise.
// params: {}
MATCH (u:University)-[:APPLIED_FOR]->(p:Patent)
RETURN u.id AS id, p.name AS text, 'patent' AS source
UNION ALL
MATCH (u:ResearchInstitute)-[:APPLIED_FOR]->(p:Patent)
RETURN u.id AS id, p.name AS text, 'patent' AS source
UNION ALL
MATCH (p:Person)-[:AFFILIATED_WITH]->(u:University)
RETURN u.id AS id, p.expertise AS text, 'expert' AS source
UNION ALL
MATCH (p:Person)-[:AFFILIATED_WITH]->(u:ResearchInstitute)
RETURN u.id AS id, p.expertise AS text, 'expert' AS source
