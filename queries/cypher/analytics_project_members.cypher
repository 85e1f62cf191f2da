// Analytics: who takes part in which project (organisations and persons), with the project's start year;
// two members of one project are linked in the organisation / person networks (pairs formed in Python).
// params: {}
MATCH (a)-[:PARTICIPATES_IN]->(p:Project)
RETURN p.id AS item, a.id AS member, p.start_year AS year
