import { z } from 'zod';
import { durationOption } from '../../component/options.js';
import { kafkaConnectionOptions } from '../../connectors/kafka/connection-options.js';
import type { PartitionOffsets } from './offsets.js';

/** A JSON text (as Spark takes it) or the same thing written as YAML; parsed here so the rest sees one form. */
function jsonOrYaml<T extends z.ZodType>(schema: T, example: string) {
  return z.union([z.string(), schema]).transform((value, ctx) => {
    if (typeof value !== 'string') return value as z.output<T>;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected JSON such as ${example}, found ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    const checked = schema.safeParse(parsed);
    if (checked.success) return checked.data as z.output<T>;
    ctx.addIssue({ code: 'custom', message: `expected JSON such as ${example}, found ${value}` });
    return z.NEVER;
  });
}

const partitionNumbers = z.record(z.string().min(1), z.array(z.number().int().min(0)).min(1));
const partitionOffsets = z.record(z.string().min(1), z.record(z.string().regex(/^\d+$/), z.number().int().min(-2)));

const topics = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((t) => t.trim()).filter((t) => t.length > 0))
  .pipe(z.array(z.string()).min(1, { message: 'name at least one topic' }));

export const kafkaSourceOptions = z
  .strictObject({
    ...kafkaConnectionOptions,
    subscribe: topics
      .optional()
      .describe('Topics to read, a list or "a,b" (Spark: subscribe). Exactly one of subscribe, subscribePattern, assign.'),
    subscribePattern: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Read every topic whose whole name matches this regular expression, e.g. "sensors-.*" (Spark: subscribePattern); topics created later are picked up.',
      ),
    assign: jsonOrYaml(partitionNumbers, '{"topicA":[0,1],"topicB":[2,4]}')
      .optional()
      .describe('Exactly these partitions, JSON or YAML, e.g. {"topicA":[0,1]} (Spark: assign).'),
    startingOffsets: z
      .union([z.enum(['earliest', 'latest']), jsonOrYaml(partitionOffsets, '{"topicA":{"0":23,"1":-2}}')])
      .default('latest')
      .describe(
        'Where a new query starts (Spark: startingOffsets): latest, earliest, or JSON per partition, e.g. {"topicA":{"0":23,"1":-1}} (-2: earliest, -1: latest; every partition must be named). Only a new checkpoint reads it: a restart goes on from the checkpoint.',
      ),
    maxOffsetsPerTrigger: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'At most this many offsets per batch, shared among partitions in proportion to their backlog (Spark: maxOffsetsPerTrigger).',
      ),
    failOnDataLoss: z
      .boolean()
      .default(true)
      .describe(
        'Records that should be read are gone (deleted by retention, topic deleted, partition gone): true stops the query with the topic, partition and offsets; false logs a warning and goes on (Spark: failOnDataLoss).',
      ),
    includeHeaders: z.boolean().default(false).describe('Add the column headers: a list of { key, value } (Spark: includeHeaders).'),
    format: z
      .enum(['text', 'bytes'])
      .default('text')
      .describe(
        "text: key and value as strings decoded as UTF-8 (what Spark's CAST(value AS STRING) gives; invalid bytes become U+FFFD); bytes: as lists of byte values 0-255, for binary payloads. Parse JSON text with the fromJson operator.",
      ),
    isolationLevel: z
      .enum(['read_committed', 'read_uncommitted'])
      .default('read_committed')
      .describe(
        "read_committed (default here; Spark's default is read_uncommitted): records of aborted or open transactions are never read, so a transactional producer's (the kafka sink's) output is read exactly once. Same result on topics written without transactions.",
      ),
    maxBytesPerFetch: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024)
      .describe(
        "Largest response asked of a broker per fetch request (bytes; Java's max.partition.fetch.bytes is 1 MiB too). The source decodes the record batches of the answer itself, at a cost per record that does not grow with the answer's size.",
      ),
    group: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Consumer group: every process running this job with the same group shares the topics' partitions (Kafka's group protocol); offsets are committed to the group after each batch's sink commit. Each process needs its own checkpointLocation; stateless jobs only; see docs/kafka-source.md#consumer-groups.",
      ),
    groupSessionTimeout: durationOption(
      'group: how long the group waits for a member that stopped answering (killed, hung) before its partitions go to the others (Kafka: session.timeout.ms; the broker allows 6s to 300s by default).',
      { default: '10s', positive: true },
    ),
  })
  .superRefine((o, ctx) => {
    if (o.group !== undefined) refineGroup(o, ctx);
    const given = (['subscribe', 'subscribePattern', 'assign'] as const).filter((k) => o[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          given.length === 0
            ? 'say which topics to read: one of subscribe, subscribePattern, assign'
            : `give only one of subscribe, subscribePattern, assign (found ${given.join(' and ')})`,
      });
    }
    if (o.subscribePattern !== undefined) {
      try {
        new RegExp(o.subscribePattern);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['subscribePattern'], message: `not a regular expression: ${(error as Error).message}` });
      }
    }
  });

/** What group mode needs: topics named by subscribe, and a start that holds for any partition (no JSON offsets). */
function refineGroup(o: { subscribe?: string[]; startingOffsets: unknown }, ctx: z.RefinementCtx): void {
  if (o.subscribe === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['group'],
      message: 'group works with subscribe (the group assigns partitions itself): use subscribe, not subscribePattern or assign',
    });
  }
  if (typeof o.startingOffsets !== 'string') {
    ctx.addIssue({
      code: 'custom',
      path: ['startingOffsets'],
      message:
        'with group, startingOffsets is earliest or latest (where a partition the group never committed starts), not offsets per partition',
    });
  }
}

export type KafkaSourceOptions = z.output<typeof kafkaSourceOptions>;

/** How the topics are chosen (Spark's ConsumerStrategy). */
export type TopicStrategy =
  | { kind: 'subscribe'; topics: string[] }
  | { kind: 'pattern'; pattern: RegExp; source: string }
  | { kind: 'assign'; partitions: Record<string, number[]> };

export function topicStrategy(o: KafkaSourceOptions): TopicStrategy {
  if (o.subscribe) return { kind: 'subscribe', topics: o.subscribe };
  if (o.subscribePattern !== undefined) {
    return { kind: 'pattern', pattern: new RegExp(`^(?:${o.subscribePattern})$`), source: o.subscribePattern };
  }
  return { kind: 'assign', partitions: o.assign! };
}

export type StartingOffsets = 'earliest' | 'latest' | PartitionOffsets;
