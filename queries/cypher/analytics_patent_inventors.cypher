// Analytics: inventors of every patent, with the application year; co-inventors are linked in the person network.
// params: {}
MATCH (a:Person)-[:INVENTED]->(p:Patent)
RETURN p.id AS item, a.id AS member, p.application_year AS year
