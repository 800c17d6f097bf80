/**
 * Apache Cassandra 5.0 from Maven Central (`cassandra-all` and its runtime jars), on OpenJDK 17, as
 * `CassandraDaemon` in the foreground: one node on 127.0.0.1 for the Cassandra sink and source.
 *
 * There is no tarball on the registries, so what bin/cassandra and conf/ would provide is done here: the JVM
 * flags of conf/jvm17-server.options (module exports/opens Cassandra needs on 17), the jamm agent (object size
 * measurement for memtables), a minimal cassandra.yaml with only keys 5.0 knows (it rejects unknown ones) and a
 * logback config at INFO to stdout, which lands in `.services/cassandra/server.log`. JMX stays off (no port).
 * Startup is kept short: one token, no gossip settling, a short ring delay.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cassandraDriver from 'cassandra-driver';
import { SetupError } from './errors.js';
import { java17 } from './java.js';
import { classpath, COMMON_JVM_OPTIONS } from './jvm.js';
import { mavenJars } from './maven.js';
import { withTimeout } from './ready.js';
import type { Server, ServerContext } from './server.js';

const VERSION = process.env.STREAMLAB_CASSANDRA_VERSION ?? '5.0.9';
const ARTIFACTS = [{ groupId: 'org.apache.cassandra', artifactId: 'cassandra-all', version: VERSION }];

/** The JPMS lines of Cassandra 5.0's conf/jvm17-server.options, plus its Netty settings. */
const JVM17_OPTIONS = [
  '-Djdk.attach.allowAttachSelf=true',
  ...[
    'java.base/jdk.internal.misc',
    'java.management.rmi/com.sun.jmx.remote.internal.rmi',
    'java.rmi/sun.rmi.registry',
    'java.rmi/sun.rmi.server',
    'java.sql/java.sql',
    'java.base/java.lang.ref',
    'jdk.unsupported/sun.misc',
    'jdk.compiler/com.sun.tools.javac.file',
    'jdk.attach/sun.tools.attach',
  ].map((pkg) => `--add-exports=${pkg}=ALL-UNNAMED`),
  ...[
    'java.base/java.lang.module',
    'java.base/jdk.internal.loader',
    'java.base/jdk.internal.ref',
    'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math',
    'java.base/jdk.internal.module',
    'java.base/jdk.internal.util.jar',
    'jdk.management/com.sun.management.internal',
    'java.base/sun.nio.ch',
    'java.base/java.io',
    'java.base/java.lang.reflect',
    'jdk.compiler/com.sun.tools.javac',
    'java.base/java.lang',
    'java.base/java.util',
  ].map((pkg) => `--add-opens=${pkg}=ALL-UNNAMED`),
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dio.netty.allocator.useCacheForAllThreads=true',
  '-Dio.netty.allocator.maxOrder=11',
];

function cassandraYaml(ctx: ServerContext): string {
  return `# Written by streamlab scripts/services on every start; edits are overwritten.
# Only keys that Cassandra 5.0 knows: it refuses to start on an unknown one.
cluster_name: streamlab
num_tokens: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
commitlog_sync: periodic
commitlog_sync_period: 10000ms
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${ctx.host}:${ctx.ports.storage}"
listen_address: ${ctx.host}
rpc_address: ${ctx.host}
storage_port: ${ctx.ports.storage}
native_transport_port: ${ctx.ports.cql}
start_native_transport: true
auto_bootstrap: false
`;
}

const LOGBACK = `<!-- Written by streamlab scripts/services: INFO to stdout, which goes to server.log. -->
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
</configuration>
`;

function jammAgent(lib: string): string {
  const jar = readdirSync(lib).find((file) => /^jamm-[\d.]+\.jar$/.test(file));
  if (!jar) throw new SetupError(`no jamm jar in ${lib}`, `remove ${lib}/.. and run again to fetch the jars anew`);
  return join(lib, jar);
}

async function cql(ctx: ServerContext, statement: string): Promise<cassandraDriver.types.ResultSet> {
  const client = new cassandraDriver.Client({
    contactPoints: [`${ctx.host}:${ctx.ports.cql}`],
    localDataCenter: 'datacenter1',
    socketOptions: { connectTimeout: 2000, readTimeout: 10_000 },
  });
  try {
    await client.connect();
    return await client.execute(statement);
  } finally {
    await client.shutdown();
  }
}

export const cassandra: Server = {
  name: 'cassandra',
  summary: `Apache Cassandra ${VERSION} (Maven Central, Java 17): the Cassandra sink and source`,
  envKey: 'STREAMLAB_TEST_CASSANDRA',
  ports: [
    { key: 'cql', env: 'STREAMLAB_CASSANDRA_PORT', default: 9043 },
    { key: 'storage', env: 'STREAMLAB_CASSANDRA_STORAGE_PORT', default: 7010 },
  ],
  readyTimeoutMs: 180_000,
  stopSignal: 'SIGTERM',
  stopTimeoutMs: 60_000,

  install() {
    java17();
    mavenJars(`cassandra-${VERSION}`, ARTIFACTS);
  },

  prepare(ctx) {
    const lib = mavenJars(`cassandra-${VERSION}`, ARTIFACTS);
    const conf = join(ctx.dir, 'conf');
    const storage = join(ctx.dir, 'data');
    const triggers = join(ctx.dir, 'triggers');
    for (const dir of [conf, storage, triggers]) mkdirSync(dir, { recursive: true });
    writeFileSync(join(conf, 'cassandra.yaml'), cassandraYaml(ctx));
    writeFileSync(join(conf, 'logback.xml'), LOGBACK);
    return {
      command: java17(),
      args: [
        '-Xms1g',
        '-Xmx1g',
        '-Xss256k',
        ...COMMON_JVM_OPTIONS,
        '-XX:+ParallelRefProcEnabled',
        '-XX:MaxTenuringThreshold=1',
        '-XX:G1HeapRegionSize=16m',
        '-XX:MaxGCPauseMillis=300',
        ...JVM17_OPTIONS,
        `-javaagent:${jammAgent(lib)}`,
        `-Dcassandra.config=file://${join(conf, 'cassandra.yaml')}`,
        `-Dlogback.configurationFile=file://${join(conf, 'logback.xml')}`,
        `-Dcassandra.storagedir=${storage}`,
        `-Dcassandra.triggers_dir=${triggers}`,
        '-Dcassandra-foreground=yes',
        '-Dcassandra.skip_wait_for_gossip_to_settle=0',
        '-Dcassandra.ring_delay_ms=100',
        '-Dcassandra.superuser_setup_delay_ms=0',
        ...classpath(lib),
        'org.apache.cassandra.service.CassandraDaemon',
      ],
      cwd: ctx.dir,
    };
  },

  async probe(ctx) {
    const result = await withTimeout(cql(ctx, 'SELECT release_version FROM system.local'), 15_000, 'CQL');
    if (!result.first()?.get('release_version')) throw new Error('system.local has no release_version');
  },

  async afterReady(ctx) {
    await cql(ctx, "CREATE KEYSPACE IF NOT EXISTS streamlab WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  },
};
