/**
 * Spark's Kafka connector for the programs `streamlab export pyspark` writes (pyspark ships without it): the jars
 * that `spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.13:<version>` would add, fetched with Maven
 * by `install` of scripts/services/kafka.ts, so that the export tests pass them with spark.jars on a fresh machine.
 * Maven Central has no 4.3.0 build of the connector yet: the 4.2.0 one runs on PySpark 4.3.0 (test/export shows it).
 * The same coordinates are in src/cli/pyspark/source-kafka.ts (SPARK_KAFKA_PACKAGE).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mavenJars } from './maven.js';
import { cacheDir } from './paths.js';

export const SPARK_KAFKA_VERSION = '4.2.0';
const NAME = `spark-sql-kafka-${SPARK_KAFKA_VERSION}`;
const ARTIFACTS = [{ groupId: 'org.apache.spark', artifactId: 'spark-sql-kafka-0-10_2.13', version: SPARK_KAFKA_VERSION }];

/**
 * Of the connector's runtime dependencies, the jars pyspark lacks (Scala, Hadoop, SLF4J, lz4, snappy are in pyspark's
 * own jars, in the versions Spark 4.3 wants).
 */
const NEEDED = /^(spark-sql-kafka-0-10|spark-token-provider-kafka-0-10|kafka-clients|commons-pool2)[-_].*\.jar$/;

/** Fetches the connector's jars (first time only). */
export function fetchSparkKafkaJars(): void {
  mavenJars(NAME, ARTIFACTS);
}

/** The connector's jars, if `npm run services -- up kafka` fetched them; undefined otherwise (nothing is fetched). */
export function sparkKafkaJars(): string[] | undefined {
  const dir = join(cacheDir, 'maven', NAME);
  if (!existsSync(join(dir, 'complete'))) return undefined;
  return readdirSync(join(dir, 'lib'))
    .filter((f) => NEEDED.test(f))
    .map((f) => join(dir, 'lib', f));
}
