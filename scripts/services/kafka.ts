/**
 * Apache Kafka 3.9 in KRaft mode from Maven Central (`kafka_2.13` plus `slf4j-reload4j`, because 3.9 declares no
 * SLF4J binding at run time and would log nothing): one node that is broker and controller at once, with a static
 * `controller.quorum.voters`, replication factors 1 and no initial rebalance delay, so consumer groups in tests
 * join at once. The data dir is formatted once with `kafka.tools.StorageTool format`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { java17 } from './java.js';
import { classpath, COMMON_JVM_OPTIONS } from './jvm.js';
import { kafkaToolsJars } from './kafka-tools.js';
import { fetchSparkKafkaJars } from './spark-kafka.js';
import { mavenJars } from './maven.js';
import { withTimeout } from './ready.js';
import { properties, type Server, type ServerContext } from './server.js';
import { runLogged } from './shell.js';

const VERSION = process.env.STREAMLAB_KAFKA_VERSION ?? '3.9.2';
const ARTIFACTS = [
  { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: VERSION },
  { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
];

function serverProperties(ctx: ServerContext, logDir: string): string {
  return properties({
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${ctx.host}:${ctx.ports.controller}`,
    listeners: `PLAINTEXT://${ctx.host}:${ctx.ports.broker},CONTROLLER://${ctx.host}:${ctx.ports.controller}`,
    'advertised.listeners': `PLAINTEXT://${ctx.host}:${ctx.ports.broker}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': logDir,
    'num.partitions': 1,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': 'true',
  });
}

const LOG4J = properties({
  'log4j.rootLogger': 'INFO, stdout',
  'log4j.appender.stdout': 'org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout': 'org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern': '[%d] %p %m (%c)%n',
  // The controller's and the state-change log's chatter at INFO hides what matters when a start fails.
  'log4j.logger.kafka.controller': 'WARN',
  'log4j.logger.state.change.logger': 'WARN',
});

/** A cluster id as Kafka makes them (16 random bytes, base64url); never starting with '-', which reads as a flag. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export const kafka: Server = {
  name: 'kafka',
  summary: `Apache Kafka ${VERSION} KRaft (Maven Central, Java 17): the Kafka source and sink`,
  envKey: 'STREAMLAB_TEST_KAFKA',
  ports: [
    { key: 'broker', env: 'STREAMLAB_KAFKA_PORT', default: 9192 },
    { key: 'controller', env: 'STREAMLAB_KAFKA_CONTROLLER_PORT', default: 9193 },
  ],
  readyTimeoutMs: 120_000,
  stopSignal: 'SIGTERM',
  stopTimeoutMs: 60_000,

  install() {
    java17();
    mavenJars(`kafka-${VERSION}`, ARTIFACTS);
    kafkaToolsJars(); // ProducerPerformance / ConsumerPerformance, the reference of `npm run bench -- kafka`
    fetchSparkKafkaJars(); // Spark's Kafka connector, for the programs `streamlab export pyspark` writes
  },

  prepare(ctx) {
    const lib = mavenJars(`kafka-${VERSION}`, ARTIFACTS);
    const logDir = join(ctx.dir, 'data');
    const config = join(ctx.dir, 'server.properties');
    const log4j = join(ctx.dir, 'log4j.properties');
    mkdirSync(ctx.dir, { recursive: true });
    writeFileSync(config, serverProperties(ctx, logDir));
    writeFileSync(log4j, LOG4J);
    const jvm = [...COMMON_JVM_OPTIONS, `-Dlog4j.configuration=file:${log4j}`, ...classpath(lib)];
    if (!existsSync(join(logDir, 'meta.properties'))) {
      runLogged(
        'formatting the Kafka storage',
        java17(),
        ['-Xmx256m', ...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', config],
        { why: 'KRaft metadata, first start only' },
      );
    }
    return {
      command: java17(),
      args: ['-Xms512m', '-Xmx512m', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35', ...jvm, 'kafka.Kafka', config],
      cwd: ctx.dir,
    };
  },

  async probe(ctx) {
    const admin = new Kafka({
      clientId: 'streamlab-services',
      brokers: [`${ctx.host}:${ctx.ports.broker}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2000,
      retry: { retries: 0 },
    }).admin();
    try {
      await withTimeout(
        admin.connect().then(() => admin.listTopics()),
        10_000,
        'KafkaJS listTopics',
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },
};
