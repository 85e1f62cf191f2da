// Analytics: cooperation links (产学研合作) of firms with universities and institutes, one row per link, with the
// year it began (aggregated into the organisation network in Python, so any year cut-off reuses one read).
// params: {}
MATCH (a:Enterprise)-[c:COOPERATES_WITH]->(b)
RETURN a.id AS source, b.id AS target, c.since AS year
