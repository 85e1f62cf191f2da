// The demo's example firm: one that posted technology demands and has the most academic partners.
// params: {}
MATCH (e:Enterprise)-[:POSTED]->(:TechDemand)
MATCH (e)-[c:COOPERATES_WITH]->()
RETURN e.id AS id, e.name AS name, count(DISTINCT c) AS partners
ORDER BY partners DESC, id
LIMIT 1
