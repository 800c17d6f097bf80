/**
 * docs/bench-reference.md: the keys of a bench file and the fields of results.json, generated from their schemas
 * (bench-file-schema.ts, results.ts) by `npm run generate`; a test fails when the committed file is stale.
 */
import { z } from 'zod';
import { cell, type JsonSchema, typeName } from '../config/reference-docs.js';
import { benchFileSchema, sinkEntrySchema } from './bench-file-schema.js';
import { resultsSchema } from './results.js';

const EXAMPLE = `# yaml-language-server: $schema=../schema/bench.schema.json
name: influxdb-sweep
description: InfluxDB batch size x concurrency
workload: tsbs-cpu
rows: 200000
batchSizes: [1000, 10000]
sinks:
  - type: influxdb
    sweep:
      concurrency: [1, 2, 4]   # three configurations: influxdb concurrency=1, =2, =4
  - parquet                    # a sink with its target's defaults`;

function keyTable(schema: JsonSchema): string[] {
  const required = new Set(schema.required ?? []);
  const out = ['| key | type | default | description |', '| --- | --- | --- | --- |'];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const fallback = field.default !== undefined ? `\`${JSON.stringify(field.default)}\`` : required.has(name) ? '**required**' : '';
    out.push(`| \`${name}\` | ${typeName(field)} | ${fallback} | ${cell(field.description ?? '')} |`);
  }
  return out;
}

/** Every field of results.json with its dotted path (`runs[].verification.ok`). */
function fieldRows(schema: JsonSchema, prefix: string): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => {
    const path = `${prefix}${name}`;
    const object = field.anyOf?.find((s) => s.type === 'object') ?? field;
    const nullable = field.anyOf?.some((s) => s.type === 'null') ? ' or null' : '';
    if (object.type === 'object' && object.properties) {
      return [`| \`${path}\` | object${nullable} | ${cell(field.description ?? '')} |`, ...fieldRows(object, `${path}.`)];
    }
    if (field.type === 'array' && field.items?.type === 'object') {
      return [`| \`${path}[]\` | list of objects | ${cell(field.description ?? '')} |`, ...fieldRows(field.items, `${path}[].`)];
    }
    return [`| \`${path}\` | ${typeName(field)} | ${cell(field.description ?? '')} |`];
  });
}

const json = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;

export function benchReferenceMarkdown(): string {
  const entry = json(sinkEntrySchema, 'input');
  return [
    '# Bench file and results.json reference',
    '',
    '<!-- Generated from src/benchmark/bench-file-schema.ts and results.ts by `npm run generate`; do not edit by hand. -->',
    '',
    '`streamlab bench <name | path.yaml>` runs a bench file: `benches/<name>.yaml` of the working directory (else the',
    "package's own), or a path. Flags given with it override the file's values (`streamlab bench --help`). JSON Schema:",
    '[schema/bench.schema.json](../schema/bench.schema.json).',
    '',
    '```yaml',
    EXAMPLE,
    '```',
    '',
    '## Keys',
    '',
    ...keyTable(json(benchFileSchema, 'input')),
    '',
    '## A sink entry',
    '',
    'An entry of `sinks` is a sink type (`- parquet`) or a mapping with these keys; every other key is an option of',
    "the sink, as in a job's `sink:` ([reference.md](reference.md#sinks)), over its profile's. The options the bench",
    'target sets for each run (the table, measurement or folder written) are not given here. Options are checked',
    "against the sink's schema when the file is loaded: a misspelt option is an error naming its line.",
    '',
    ...keyTable(entry),
    '',
    'A sweep with several options gives every combination, in the order written: `sweep: { concurrency: [1, 2],',
    'batchSize: [500, 5000] }` is four configurations, `influxdb concurrency=1 batchSize=500` ...',
    '',
    '## Where the sinks connect',
    '',
    "Each sink's connection comes from its profile in `config/` (the target's, or the entry's `profile:`), whose",
    '`${VAR}`s are filled from the environment and `.env`, as for `streamlab run`. With `--services` (the default when',
    '`.services/env` exists in the working directory, or `$STREAMLAB_SERVICES_DIR/env`), the servers of',
    '`npm run services -- up` are used instead: for the variables below, **the services win** over the environment and',
    '`.env`; every other variable still comes from them. `--no-services` uses the environment only.',
    '',
    '| server in .services/env | variables set |',
    '| --- | --- |',
    '| `STREAMLAB_TEST_INFLUXDB18` (InfluxDB 1.8, v2 API) | `INFLUX_URL=http://<address>`, `INFLUX_TOKEN`, `INFLUX_ORG`, `INFLUX_BUCKET=streamlab` |',
    '| `STREAMLAB_TEST_MARIADB` | `MYSQL_HOST`, `MYSQL_PORT`, `MYSQL_DATABASE=streamlab`, `MYSQL_USER=root`, `MYSQL_PASSWORD=` (empty) |',
    '| `STREAMLAB_TEST_CASSANDRA` | `CASSANDRA_CONTACT_POINTS`, `CASSANDRA_KEYSPACE=streamlab`, `CASSANDRA_LOCAL_DC=datacenter1`, no user |',
    '| `STREAMLAB_TEST_STARROCKS` (the test peer) | `STARROCKS_FE_HOST`, `STARROCKS_HTTP_PORT`, `STARROCKS_MYSQL_PORT` (from `STREAMLAB_TEST_STARROCKS_MYSQL`, else the MariaDB), `STARROCKS_DATABASE=streamlab`, `STARROCKS_USER=root` |',
    '',
    'A `STREAMLAB_TEST_<NAME>` variable in the environment overrides its line of `.services/env`, as in the tests.',
    '',
    '## results.json (version 1)',
    '',
    'JSON Schema: [schema/bench-results.schema.json](../schema/bench-results.schema.json). A change that breaks',
    'readers bumps `schemaVersion`.',
    '',
    '| field | type | description |',
    '| --- | --- | --- |',
    ...fieldRows(json(resultsSchema, 'output'), ''),
    '',
  ].join('\n');
}
