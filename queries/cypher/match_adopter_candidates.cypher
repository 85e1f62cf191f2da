// Matching: firms in the fields of an achievement (科技成果), with their products and region; firms it was
// already transferred to are flagged.
// params: {"achievement": "A000001"}
MATCH (a:Achievement {id: $achievement})-[:IN_FIELD]->(f:Field)<-[:IN_FIELD]-(e:Enterprise)
OPTIONAL MATCH (a)-[t:TRANSFERRED_TO]->(e)
RETURN e.id AS id, e.name AS name, e.products AS products, e.region AS region, count(DISTINCT f) AS shared_fields,
       count(t) AS transferred
