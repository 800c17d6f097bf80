/**
 * The jobs and input of test/export/pyspark-servers.test.ts: one Kafka topic of JSON records (and one that is not
 * JSON), read by streamlab and by its exported PySpark program into the same kind of table, each into its own
 * (`${RUNNER}` is `streamlab` or `spark`). Both run with availableNow in batches of at most 7 offsets.
 */

/** Records of the input topic: `[key, value]`; 20 readings in one UTC hour, one line that is not JSON. */
export function inputRecords(): [string, string][] {
  const records: [string, string][] = [];
  for (let i = 0; i < 20; i++) {
    const ts = new Date(Date.UTC(2026, 10, 30, 13, i, i % 7, i * 37)).toISOString();
    const value = { ts, id: `d${i % 3}`, n: i, x: i === 5 ? null : i * 0.25 };
    records.push([`k${i}`, JSON.stringify(value)]);
  }
  records.splice(11, 0, ['bad', 'not json at all']);
  return records;
}

/** The columns every table job writes: the reading, its key and offset, and the corrupt-record text. */
const READ_TOPIC = `source: { type: kafka, profile: kafka, subscribe: "\${IN_TOPIC}", startingOffsets: earliest, maxOffsetsPerTrigger: 7 }
operators:
  - fromJson:
      column: value
      schema: { ts: timestamp, id: string, n: long, x: double }
      keep: [key, offset]
      columnNameOfCorruptRecord: _corrupt_record`;

/** Job name -> YAML. `lake` (streamlab only) writes the Parquet table the parquet job reads. */
export const JOBS: Record<string, string> = {
  'export-rest-postgres': `name: export-rest-postgres
${READ_TOPIC}
sink: { type: postgres, profile: postgres, table: "export_rest_\${RUNNER}", create: true }
trigger: { availableNow: true }
checkpointLocation: ".checkpoints/postgres-\${RUNNER}"
`,
  'export-rest-mysql': `name: export-rest-mysql
${READ_TOPIC}
sink: { type: mysql, profile: mysql, table: "export_rest_\${RUNNER}", create: { primaryKey: [offset] } }
trigger: { availableNow: true }
checkpointLocation: ".checkpoints/mysql-\${RUNNER}"
`,
  'export-rest-starrocks': `name: export-rest-starrocks
${READ_TOPIC}
sink: { type: starrocks, profile: starrocks, table: "export_rest_sr_\${RUNNER}" }
trigger: { availableNow: true }
checkpointLocation: ".checkpoints/starrocks-\${RUNNER}"
`,
  'export-rest-kafka': `name: export-rest-kafka
${READ_TOPIC}
  - filter: "_corrupt_record is null"
  - select: ["key", "concat(id, ':', string(n)) as value"]
sink: { type: kafka, profile: kafka, topic: "\${OUT_TOPIC}_\${RUNNER}" }
trigger: { availableNow: true }
checkpointLocation: ".checkpoints/kafka-\${RUNNER}"
`,
  'export-rest-lake': `name: export-rest-lake
${READ_TOPIC}
sink: { type: parquet, path: lake, partitionBy: [{ time: ts, granularity: hour }] }
trigger: { availableNow: true }
`,
  'export-rest-parquet': `name: export-rest-parquet
source:
  type: parquet
  path: lake
  hour: "2026-11-30T13"
  schema: { ts: timestamp, id: string, n: long, x: double, hour: long }
operators:
  - groupBy: { keys: [id, hour], agg: { readings: "count()", n_sum: "sum(n)", x_max: "max(x)" } }
sink: { type: postgres, profile: postgres, table: "export_rest_lake_\${RUNNER}", create: true }
outputMode: complete
trigger: { availableNow: true }
checkpointLocation: ".checkpoints/parquet-\${RUNNER}"
`,
};

/** The MariaDB table the StarRocks peer loads into (it stores rows in MariaDB tables of the same name). */
export const starrocksTable = (name: string): string => `CREATE TABLE IF NOT EXISTS ${name} (
  \`key\` VARCHAR(64), ts DATETIME(3), id VARCHAR(16), n BIGINT, x DOUBLE, _corrupt_record TEXT, \`offset\` BIGINT
)`;
