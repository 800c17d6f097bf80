/**
 * Kafka's own load generators, `org.apache.kafka.tools.ProducerPerformance` and `ConsumerPerformance`, from
 * `org.apache.kafka:kafka-tools` of the broker's version: the reference `npm run bench -- kafka` measures the Node
 * clients against on the same broker. Fetched with the broker's jars (`install` of scripts/services/kafka.ts) into a
 * folder of their own, so that adding them never rewrites the running broker's classpath.
 */
import { mavenJars } from './maven.js';

export const KAFKA_VERSION = process.env.STREAMLAB_KAFKA_VERSION ?? '3.9.2';

const TOOLS_ARTIFACTS = [
  { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version: KAFKA_VERSION },
  // As for the broker: 3.9 declares no SLF4J binding at run time, and the tools would warn about it on every run.
  { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
];

/** The folder holding kafka-tools and its runtime dependencies (fetched from Maven Central the first time). */
export function kafkaToolsJars(): string {
  return mavenJars(`kafka-tools-${KAFKA_VERSION}`, TOOLS_ARTIFACTS);
}
