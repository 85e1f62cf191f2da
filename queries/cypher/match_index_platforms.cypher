// Matching index: R&D platforms and workstations each candidate hosts, with their level.
// params: {}
MATCH (u:University)-[:HOSTS]->(p:RDPlatform)
RETURN u.id AS id, p.level AS level
UNION ALL
MATCH (u:ResearchInstitute)-[:HOSTS]->(p:RDPlatform)
RETURN u.id AS id, p.level AS level
