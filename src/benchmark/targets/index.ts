/** Every sink `streamlab bench` can measure: one BenchTarget per sink, found by its `sink` type. */
import type { BenchTarget } from '../target.js';
import { cassandraTarget } from './cassandra.js';
import { fileTarget } from './file.js';
import { influxdbTarget } from './influxdb.js';
import { memoryTarget } from './memory.js';
import { mysqlTarget } from './mysql.js';
import { parquetTarget } from './parquet.js';
import { postgresTarget } from './postgres.js';
import { starrocksTarget } from './starrocks.js';

export const TARGETS: readonly BenchTarget[] = [
  influxdbTarget,
  cassandraTarget,
  mysqlTarget,
  postgresTarget,
  starrocksTarget,
  parquetTarget,
  fileTarget,
  memoryTarget,
];
