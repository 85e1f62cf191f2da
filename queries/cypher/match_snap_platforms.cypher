// Matching snapshot: R&D platforms each candidate hosts, with level and founding year (0 when unknown).
// params: {}
MATCH (u:University)-[:HOSTS]->(p:RDPlatform)
RETURN u.id AS id, p.level AS level, coalesce(p.founded_year, 0) AS year
UNION ALL
MATCH (u:ResearchInstitute)-[:HOSTS]->(p:RDPlatform)
RETURN u.id AS id, p.level AS level, coalesce(p.founded_year, 0) AS year
