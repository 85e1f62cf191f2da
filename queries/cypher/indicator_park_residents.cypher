// Enterprises resident in the parks (LOCATED_IN) and incubators (INCUBATED_BY) of a region: resident in a year (入驻企业, a stock),
// or moved in from $from to $year (新增入驻 / 引进企业入驻, a flow). Residence without a year counts in the stock only.
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 0}
MATCH (e:Enterprise)-[l:LOCATED_IN|INCUBATED_BY]->(c)
WHERE c.region STARTS WITH $prefix
  AND ((l.since IS NULL AND $from = 0) OR (l.since >= $from AND l.since <= $year))
RETURN count(DISTINCT e) AS actual
