// Technology contracts (技术合同, CONTRACTED_WITH) signed from $from to $year with a party located in a region:
// how many and their turnover (成交额, 万元; a flow).
// Columns: actual, amount.
// params: {"prefix": "2111", "year": 2025, "from": 2025}
MATCH (a)-[c:CONTRACTED_WITH]->(b)
WHERE (a.region STARTS WITH $prefix OR b.region STARTS WITH $prefix)
  AND c.year >= $from AND c.year <= $year
RETURN count(*) AS actual, coalesce(sum(c.amount), 0) AS amount
