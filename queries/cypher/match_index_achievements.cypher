// Matching index: the achievements (科技成果) each university / institute owns, with their keywords.
// params: {}
MATCH (u:University)-[:OWNS]->(a:Achievement)
RETURN u.id AS id, a.id AS achievement, a.name AS name, a.keywords AS keywords
UNION ALL
MATCH (u:ResearchInstitute)-[:OWNS]->(a:Achievement)
RETURN u.id AS id, a.id AS achievement, a.name AS name, a.keywords AS keywords
