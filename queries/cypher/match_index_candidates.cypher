// Matching index: every university and research institute with its region code (own, else where it is located).
// params: {}
MATCH (u:University)
OPTIONAL MATCH (u)-[:LOCATED_IN]->(r:Region)
RETURN 'University' AS kind, u.id AS id, u.name AS name, coalesce(u.region, r.id) AS region
UNION ALL
MATCH (u:ResearchInstitute)
OPTIONAL MATCH (u)-[:LOCATED_IN]->(r:Region)
RETURN 'ResearchInstitute' AS kind, u.id AS id, u.name AS name, coalesce(u.region, r.id) AS region
