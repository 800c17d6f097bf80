import type { ComponentDefinition, OperatorDefinition, SinkDefinition, SourceDefinition } from './component/definition.js';
import { dropDuplicatesOperator } from './operators/drop-duplicates.js';
import { dropOperator } from './operators/drop.js';
import { explodeOperator } from './operators/explode.js';
import { filterOperator } from './operators/filter.js';
import { fromJsonOperator } from './operators/from-json.js';
import { groupByOperator } from './operators/group-by.js';
import { joinOperator } from './operators/join.js';
import { selectOperator } from './operators/select.js';
import { sessionWindowOperator } from './operators/session-window.js';
import { triangleOperator } from './operators/triangle.js';
import { withColumnOperator } from './operators/with-column.js';
import { withWatermarkOperator } from './operators/with-watermark.js';
import { windowOperator } from './operators/window.js';
import { cassandraSink } from './sinks/cassandra/index.js';
import { consoleSink } from './sinks/console/index.js';
import { fileSink } from './sinks/file/index.js';
import { influxdbSink } from './sinks/influxdb/index.js';
import { kafkaSink } from './sinks/kafka/index.js';
import { memorySink } from './sinks/memory/index.js';
import { mysqlSink } from './sinks/mysql/index.js';
import { postgresSink } from './sinks/postgres/index.js';
import { parquetSink } from './sinks/parquet/index.js';
import { starrocksSink } from './sinks/starrocks/index.js';
import { cassandraSource } from './sources/cassandra/index.js';
import { devicesSource } from './sources/devices/index.js';
import { deviceUsersSource } from './sources/devices/users-source.js';
import { fileSource } from './sources/file/index.js';
import { parquetSource } from './sources/parquet/index.js';
import { postgresSource } from './sources/postgres/index.js';
import { mysqlSource } from './sources/mysql/index.js';
import { kafkaSource } from './sources/kafka/index.js';
import { rateMicroBatchSource } from './sources/rate-micro-batch.js';
import { rateSource } from './sources/rate.js';
import { sensorSource } from './sources/sensor.js';
import { sineSource } from './sources/sine.js';
import { socketSource } from './sources/socket/index.js';
import { systemSource } from './sources/system.js';
import { tsbsCpuSource } from './sources/tsbs-cpu/index.js';
import { wideSource } from './sources/wide/index.js';

/**
 * Every component, registered once. Validation, building, the JSON Schema for job files and the reference docs are
 * all derived from these lists: adding a component means adding its definition here, nothing else. The lists keep
 * each definition's own types (`as const`): the TypeScript API's factories and their option types come from them.
 */
export const sourceDefinitions = [
  rateSource,
  rateMicroBatchSource,
  sineSource,
  systemSource,
  socketSource,
  fileSource,
  parquetSource,
  postgresSource,
  mysqlSource,
  cassandraSource,
  kafkaSource,
  sensorSource,
  tsbsCpuSource,
  wideSource,
  devicesSource,
  deviceUsersSource,
] as const;
export const operatorDefinitions = [
  filterOperator,
  selectOperator,
  withColumnOperator,
  dropOperator,
  explodeOperator,
  triangleOperator,
  withWatermarkOperator,
  windowOperator,
  sessionWindowOperator,
  groupByOperator,
  dropDuplicatesOperator,
  joinOperator,
  fromJsonOperator,
] as const;
export const sinkDefinitions = [
  consoleSink,
  memorySink,
  fileSink,
  parquetSink,
  influxdbSink,
  cassandraSink,
  mysqlSink,
  postgresSink,
  starrocksSink,
  kafkaSink,
] as const;
export const sources: SourceDefinition[] = [...sourceDefinitions];
export const operators: OperatorDefinition[] = [...operatorDefinitions];
export const sinks: SinkDefinition[] = [...sinkDefinitions];

export const allComponents: ComponentDefinition[] = [...sources, ...operators, ...sinks];

export function findComponent<T extends ComponentDefinition>(list: T[], type: string): T | undefined {
  return list.find((d) => d.type === type);
}
