// Lint Cypher with Neo4j's own linter (@neo4j-cypher/language-support).
// stdin: JSON {"schema": DbSchema, "queries": [{"name": ..., "text": ..., "parameters": {...}}]}
// stdout: JSON [{"name": ..., "diagnostics": [{"severity", "message", "line", "character"}]}]
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const out = input.queries.map((q) => {
  const schema = { ...input.schema, parameters: q.parameters || {} };
  const result = lintCypherQuery(q.text, schema);
  const diagnostics = (result.diagnostics || []).map((d) => ({
    severity: d.severity,
    message: d.message,
    line: d.range.start.line + 1,
    character: d.range.start.character + 1,
  }));
  return { name: q.name, diagnostics };
});
process.stdout.write(JSON.stringify(out));
