// Events (对接活动, 培训, 专家行, 企业高校行) of given kinds held in a region from $from to $year:
// how many, and the persons trained or attending (参加人次: the attendance stated, else the participants linked by ATTENDS).
// Columns: actual, attendance.
// params: {"prefix": "2111", "year": 2025, "from": 2025, "kinds": ["matchmaking"]}
MATCH (e:Event)
WHERE e.region STARTS WITH $prefix
  AND e.event_kind IN $kinds
  AND e.year >= $from AND e.year <= $year
OPTIONAL MATCH (x)-[:ATTENDS]->(e)
WITH e, count(x) AS linked
RETURN count(e) AS actual, coalesce(sum(coalesce(e.attendance, linked)), 0) AS attendance
