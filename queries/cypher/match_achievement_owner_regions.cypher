// Matching: regions where the owners of an achievement are located.
// params: {"achievement": "A000001"}
MATCH (o)-[:OWNS]->(a:Achievement {id: $achievement})
MATCH (o)-[:LOCATED_IN]->(r:Region)
RETURN DISTINCT r.id AS id
