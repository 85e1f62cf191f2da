// Universities with the most enterprise partners (产学研合作).
// Columns: university_id, university, partners.
// params: {"k": 5}
MATCH (e:Enterprise)-[:COOPERATES_WITH]->(u:University)
RETURN u.id AS university_id, u.name AS university, count(DISTINCT e) AS partners
ORDER BY partners DESC, university_id
LIMIT $k
