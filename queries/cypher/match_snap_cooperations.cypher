// Matching snapshot: every firm x university / institute cooperation with its first year (0 when unknown).
// The snapshot builder keeps those known by the cut-off year it is asked for.
// params: {}
MATCH (e:Enterprise)-[c:COOPERATES_WITH]->(u:University)
RETURN e.id AS firm, u.id AS partner, coalesce(c.since, 0) AS year
UNION ALL
MATCH (e:Enterprise)-[c:COOPERATES_WITH]->(u:ResearchInstitute)
RETURN e.id AS firm, u.id AS partner, coalesce(c.since, 0) AS year
