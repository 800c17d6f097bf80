import type { ComponentConfig } from '../../config/load-job.js';
import type { SinkDefinition } from '../../component/definition.js';
import type { Translation } from './context.js';
import { cassandraSink } from './sink-cassandra.js';
import { influxdbSink } from './sink-influxdb.js';
import { mysqlSink } from './sink-mysql.js';
import { postgresSink } from './sink-postgres.js';
import { starrocksSink } from './sink-starrocks.js';
import { refuse } from './refusal.js';
import type { SinkCode } from './sinks.js';

/**
 * Sinks Spark has no connector for in its own distribution: `foreachBatch(write_batch)` with the Python client a
 * Spark user would pick, and streamlab's exactly-once rule for that store written out in `write_batch`.
 */
export function foreachBatchSink(sink: ComponentConfig<SinkDefinition>, t: Translation): SinkCode {
  const o = sink.options as Record<string, unknown>;
  let functions: string[];
  switch (sink.definition.type) {
    case 'cassandra':
      functions = cassandraSink(sink, o, t);
      break;
    case 'influxdb':
      functions = influxdbSink(sink, o, t);
      break;
    case 'mysql':
      functions = mysqlSink(sink, o, t);
      break;
    case 'postgres':
      functions = postgresSink(sink, o, t);
      break;
    case 'starrocks':
      functions = starrocksSink(sink, o, t);
      break;
    default:
      return refuse(
        sink,
        `sink '${sink.definition.type}' has no PySpark translation yet (translated: console, memory, file, parquet, kafka, cassandra, influxdb, mysql, postgres, starrocks)`,
      );
  }
  return { writer: [...t.origin(sink, '        '), '        .foreachBatch(write_batch)'], functions };
}
