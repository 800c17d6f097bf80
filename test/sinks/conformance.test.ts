/**
 * Every sink runs the same conformance suite (test/support/sink-conformance.ts) against its real server: one batch,
 * many batches, an empty batch, a replayed batch id, a crash after the write and before commits/N, close without
 * open, and every column type it writes, each read back whole and compared exactly. The console sink is not here:
 * what it writes is text for people, with nothing to read back as rows.
 */
import { parquetAdapter } from '../support/conformance/parquet.js';
import { starrocksAdapter } from '../support/conformance/starrocks.js';
import { sinkConformance } from '../support/sink-conformance.js';
import { cassandraAdapter } from '../support/conformance/cassandra.js';
import { fileAdapter } from '../support/conformance/file.js';
import { influxdbAdapter } from '../support/conformance/influxdb.js';
import { kafkaAdapter } from '../support/conformance/kafka.js';
import { memoryAdapter } from '../support/conformance/memory.js';
import { mysqlAdapter } from '../support/conformance/mysql.js';
import { postgresAdapter } from '../support/conformance/postgres.js';

sinkConformance(memoryAdapter());
sinkConformance(fileAdapter());
sinkConformance(mysqlAdapter());
sinkConformance(postgresAdapter());
sinkConformance(cassandraAdapter());
sinkConformance(influxdbAdapter('v1'));
sinkConformance(influxdbAdapter('v2'));
sinkConformance(parquetAdapter());
sinkConformance(starrocksAdapter('stream-load'));
sinkConformance(starrocksAdapter('insert'));
sinkConformance(kafkaAdapter());
