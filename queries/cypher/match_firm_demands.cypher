// Matching: the technology demands (技术难题) a firm has posted, as text for the text-fit score.
// params: {"firm": "91211102104289785B"}
MATCH (e:Enterprise {id: $firm})-[:POSTED]->(d:TechDemand)
RETURN d.id AS id, d.name AS name, d.keywords AS keywords, d.description AS description
