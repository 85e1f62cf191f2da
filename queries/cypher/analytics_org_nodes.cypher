// Analytics: the organisations of the collaboration network (firms, universities, institutes) with region code.
// params: {}
MATCH (n:Enterprise)
RETURN n.id AS id, n.name AS name, 'Enterprise' AS type, n.region AS region
UNION ALL
MATCH (n:University)
OPTIONAL MATCH (n)-[:LOCATED_IN]->(r:Region)
RETURN n.id AS id, n.name AS name, 'University' AS type, coalesce(n.region, r.id) AS region
UNION ALL
MATCH (n:ResearchInstitute)
OPTIONAL MATCH (n)-[:LOCATED_IN]->(r:Region)
RETURN n.id AS id, n.name AS name, 'ResearchInstitute' AS type, coalesce(n.region, r.id) AS region
