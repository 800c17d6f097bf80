import type { MessageToProduce } from '@platformatic/kafka';
import type { ConfigLocation } from '../../component/definition.js';
import { ConfigError, RuntimeError, type ConfigProblem } from '../../core/errors.js';
import type { Row, Value } from '../../core/row.js';
import { describeSchema, findColumn, type ColumnType, type Schema } from '../../core/schema.js';

export type KafkaMessage = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;

/** Which input columns make a record, after Spark's Kafka sink: `value` required; `key`, `topic`, `headers`, `partition` optional. */
export interface RecordPlan {
  /** The `topic` option; when set, a `topic` column is ignored. */
  topic?: string;
  hasKey: boolean;
  hasTopicColumn: boolean;
  hasHeaders: boolean;
  hasPartition: boolean;
}

const TEXT_TYPES: ColumnType[] = ['string', 'any'];

/**
 * Checks the input against Spark's contract (every problem at once). Spark wants `value` and `key` as string or
 * binary; streamlab has no binary column type, so they are strings (sent as UTF-8): turn other columns into text with
 * `string(x)`, `concat(...)` or `to_json(named_struct(...))` first.
 */
export function planRecords(input: Schema, topic: string | undefined, location: ConfigLocation): RecordPlan {
  const problems: ConfigProblem[] = [];
  const problem = (message: string) => problems.push({ file: location.file, path: location.path, message });
  const has = describeSchema(input) || '(no columns)';
  const typed = (name: string, allowed: ColumnType[], what: string) => {
    const column = findColumn(input, name);
    if (column && !allowed.includes(column.type)) problem(`the "${name}" column is ${column.type}; ${what}`);
    return column !== undefined;
  };
  const text = 'Kafka takes it as text (UTF-8): make it a string first, e.g. string(x), concat(...) or to_json(named_struct(...))';
  if (!findColumn(input, 'value')) {
    problem(
      `the input has no "value" column, which the kafka sink writes as each record's value (Spark's contract); the input has: ${has}. Make one, e.g. withColumn: { name: value, expr: "to_json(named_struct('a', a, 'b', b))" }`,
    );
  } else typed('value', TEXT_TYPES, text);
  const hasKey = typed('key', TEXT_TYPES, text);
  const hasTopicColumn = typed('topic', TEXT_TYPES, 'a topic name is a string');
  const hasHeaders = typed(
    'headers',
    ['array', 'struct', 'any'],
    'headers are an array of { key, value } structs or a struct of text values',
  );
  const hasPartition = typed('partition', ['long', 'any'], 'a partition is a long (int in Spark)');
  if (!topic && !hasTopicColumn) {
    problem(`no topic: set the sink's \`topic\` option, or give the rows a "topic" column; the input has: ${has}`);
  }
  if (problems.length) throw new ConfigError(problems);
  return { topic, hasKey, hasTopicColumn: hasTopicColumn && !topic, hasHeaders, hasPartition };
}

/** One Kafka record per row; a null key stays null (Kafka's partitioner then spreads the rows), a null value is a tombstone. */
export function toMessages(rows: readonly Row[], plan: RecordPlan, batchId: number): KafkaMessage[] {
  const messages: KafkaMessage[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const topic = plan.topic ?? (row.topic as string | null);
    if (typeof topic !== 'string' || topic === '') {
      throw new RuntimeError(
        `kafka sink: row ${i} of batch ${batchId} has no topic (its "topic" column is ${JSON.stringify(row.topic)}) and the sink has no \`topic\` option`,
      );
    }
    const message: KafkaMessage = { topic, value: bytes(row.value) as Buffer };
    if (plan.hasKey && row.key !== null && row.key !== undefined) message.key = bytes(row.key);
    if (plan.hasPartition && row.partition !== null && row.partition !== undefined) message.partition = Number(row.partition);
    if (plan.hasHeaders && row.headers) message.headers = headers(row.headers, i, batchId);
    messages[i] = message;
  }
  return messages;
}

function bytes(value: Value | undefined): Buffer | undefined {
  if (value === null || value === undefined) return undefined;
  return Buffer.from(typeof value === 'string' ? value : String(value), 'utf8');
}

/** Spark's `headers`: array<struct<key: string, value: binary>>; a plain struct { name: text } is taken too. */
function headers(value: Value, row: number, batchId: number): Map<Buffer, Buffer> {
  const map = new Map<Buffer, Buffer>();
  const entries = Array.isArray(value)
    ? value.map((h) => h as { key?: Value; value?: Value })
    : Object.entries(value as Record<string, Value>).map(([key, v]) => ({ key, value: v }));
  for (const entry of entries) {
    if (typeof entry?.key !== 'string') {
      throw new RuntimeError(`kafka sink: row ${row} of batch ${batchId}: a header needs a string "key", got ${JSON.stringify(entry)}`);
    }
    map.set(Buffer.from(entry.key, 'utf8'), bytes(entry.value) ?? Buffer.alloc(0));
  }
  return map;
}

/** Bytes a record adds to a request besides its key, value and headers (record and batch framing, roughly). */
const RECORD_OVERHEAD = 64;

export function recordBytes(message: KafkaMessage): number {
  let bytes = RECORD_OVERHEAD + (message.key?.length ?? 0) + (message.value?.length ?? 0);
  if (message.headers instanceof Map) for (const [k, v] of message.headers) bytes += k.length + v.length + 8;
  return bytes;
}

/**
 * The records in runs of at most `maxBytes`, one produce request each: the client puts all records of a partition
 * in one record batch, and the broker refuses a batch above its message.max.bytes (1 MiB by default) with
 * MESSAGE_TOO_LARGE. A record bigger than `maxBytes` goes alone.
 */
export function requestChunks(messages: readonly KafkaMessage[], maxBytes: number): KafkaMessage[][] {
  const chunks: KafkaMessage[][] = [];
  let current: KafkaMessage[] = [];
  let size = 0;
  for (const message of messages) {
    const bytes = recordBytes(message);
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
