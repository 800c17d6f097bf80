import { RuntimeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ColumnBatch } from '../../core/columnar/column-batch.js';
import type { Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import { RangeColumns } from './columns.js';
import type { KafkaReader } from './reader.js';
import type { recordDecoder } from './rows.js';

const LOST =
  'Some data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed.';

/**
 * Spark's reportDataLoss, for both kafka sources: with failOnDataLoss an error naming the partition and offsets (in
 * `message`), else a warning and the query goes on.
 */
export function reportDataLoss(message: string, failOnDataLoss: boolean, logger: Logger): void {
  if (failOnDataLoss) {
    throw new RuntimeError(
      `kafka source: ${message}. ${LOST} If you don't want your streaming query to fail on such cases, set the source option failOnDataLoss to false.`,
    );
  }
  logger.warn(`kafka source: ${message}. ${LOST} The query goes on (failOnDataLoss: false).`);
}

/** The rows of one partition's records from <= offset < until, decoded as the source's options say. */
export async function readRangeRows(
  reader: KafkaReader,
  range: { topic: string; partition: number; from: number; until: number },
  decode: ReturnType<typeof recordDecoder>,
  onDataLoss: (message: string) => void,
): Promise<Row[]> {
  const { topic, partition, from, until } = range;
  const rows: Row[] = [];
  await reader.read({ topic, partition }, from, until, (record) => rows.push(decode(topic, partition, record)), onDataLoss);
  return rows;
}

/** The same records as columns (columns.ts): one ColumnBatch for the range. */
export async function readRangeColumns(
  reader: KafkaReader,
  range: { topic: string; partition: number; from: number; until: number },
  schema: Schema,
  onDataLoss: (message: string) => void,
): Promise<ColumnBatch> {
  const { topic, partition, from, until } = range;
  const columns = new RangeColumns(schema, topic, partition, until - from);
  await reader.read({ topic, partition }, from, until, (record) => columns.add(record), onDataLoss);
  return columns.finish();
}
