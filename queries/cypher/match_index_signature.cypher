// Matching index: counts of what the cached matching index is built from (it is rebuilt when they change).
// params: {}
MATCH (u:University) RETURN 'University' AS type, count(u) AS n
UNION ALL
MATCH (u:ResearchInstitute) RETURN 'ResearchInstitute' AS type, count(u) AS n
UNION ALL
MATCH (a:Achievement) RETURN 'Achievement' AS type, count(a) AS n
UNION ALL
MATCH (p:Person) RETURN 'Person' AS type, count(p) AS n
UNION ALL
MATCH (f:Field) RETURN 'Field' AS type, count(f) AS n
