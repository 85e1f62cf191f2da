// Policy: delete the targets document $id sets whose id is not in $keep (a re-extracted document replaces its targets).
// params: {"id": "POL-example", "keep": []}
MATCH (d:PolicyDocument {id: $id})-[:SETS]->(t:Target)
WHERE NOT t.id IN $keep
DETACH DELETE t
RETURN count(*) AS deleted
