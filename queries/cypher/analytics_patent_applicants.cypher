// Analytics: applicants of every patent, with the application year; co-applicants are linked in the
// organisation network (pairs formed in Python).
// params: {}
MATCH (a)-[:APPLIED_FOR]->(p:Patent)
RETURN p.id AS item, a.id AS member, p.application_year AS year
