import type { ComponentConfig } from '../../config/load-job.js';
import type { Translation } from './context.js';
import { comment, py } from './python.js';
import { refuse } from './refusal.js';

/**
 * Spark's Kafka connector (spark-sql-kafka-0-10) is not among pyspark's own jars. Maven Central has no 4.3.0 build
 * of it yet; the 4.2.0 one runs on PySpark 4.3.0 (the export tests run it there). scripts/services/spark-kafka.ts
 * fetches the same version.
 */
export const SPARK_KAFKA_PACKAGE = 'org.apache.spark:spark-sql-kafka-0-10_2.13:4.2.0';

/**
 * The body of `read_stream(spark)` for the kafka source: `format("kafka")` with the same topics and options, then
 * key and value cast to strings, as streamlab's text rows are (Spark's are binary; jobs write CAST(value AS STRING)).
 */
export function kafkaSource(source: ComponentConfig, o: Record<string, unknown>, t: Translation): string[] {
  if (o.sasl !== undefined) refuse(source, 'the kafka source with sasl has no translation yet (set kafka.sasl.* options by hand)');
  if (o.format === 'bytes') refuse(source, "the kafka source with format bytes has no translation yet (Spark's key and value are binary)");
  t.sparkPackages.add(SPARK_KAFKA_PACKAGE);
  t.envVars.add('KAFKA_BOOTSTRAP_SERVERS');
  const servers = Array.isArray(o.bootstrapServers) ? o.bootstrapServers.join(',') : String(o.bootstrapServers);
  const lines = [
    ...comment("the profile's KAFKA_BOOTSTRAP_SERVERS (the value streamlab resolved is the default)", '    '),
    `    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", ${py(servers)})`,
    '    return (',
    '        spark.readStream.format("kafka")',
    '        .option("kafka.bootstrap.servers", bootstrap)',
  ];
  if (o.subscribe !== undefined) lines.push(`        .option("subscribe", ${py((o.subscribe as string[]).join(','))})`);
  if (o.subscribePattern !== undefined) lines.push(`        .option("subscribePattern", ${py(o.subscribePattern as string)})`);
  if (o.assign !== undefined) lines.push(`        .option("assign", ${py(JSON.stringify(o.assign))})`);
  const starting = o.startingOffsets;
  lines.push(`        .option("startingOffsets", ${py(typeof starting === 'string' ? starting : JSON.stringify(starting))})`);
  if (o.maxOffsetsPerTrigger !== undefined) lines.push(`        .option("maxOffsetsPerTrigger", ${o.maxOffsetsPerTrigger})`);
  if (o.failOnDataLoss === false) lines.push('        .option("failOnDataLoss", False)');
  if (o.includeHeaders) lines.push('        .option("includeHeaders", True)');
  lines.push(
    ...comment("streamlab reads committed records only by default (Spark's default is read_uncommitted)", '        '),
    `        .option("kafka.isolation.level", ${py(o.isolationLevel as string)})`,
    '        .load()',
    ...comment("streamlab's text rows: key and value as UTF-8 strings (Spark's are binary)", '        '),
    '        .withColumn("key", F.col("key").cast("string"))',
    '        .withColumn("value", F.col("value").cast("string"))',
    '    )',
  );
  return lines;
}
