// Matching snapshot: dated text of firms and candidates: posted demands, owned achievements (year 0 when unknown).
// params: {}
MATCH (e:Enterprise)-[:POSTED]->(d:TechDemand)
RETURN e.id AS id, coalesce(d.year, 0) AS year, d.name AS name, d.keywords AS keywords, d.description AS text
UNION ALL
MATCH (u:University)-[:OWNS]->(a:Achievement)
RETURN u.id AS id, coalesce(a.year, 0) AS year, a.name AS name, a.keywords AS keywords, '' AS text
UNION ALL
MATCH (u:ResearchInstitute)-[:OWNS]->(a:Achievement)
RETURN u.id AS id, coalesce(a.year, 0) AS year, a.name AS name, a.keywords AS keywords, '' AS text
