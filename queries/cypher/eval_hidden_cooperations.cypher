// Back-test: cooperations that started after $until (hidden from the matcher, then checked against its ranking).
// params: {"until": 2022}
MATCH (e:Enterprise)-[c:COOPERATES_WITH]->(u)
WHERE c.since > $until
RETURN e.id AS firm, u.id AS partner, c.since AS since
ORDER BY firm, partner
