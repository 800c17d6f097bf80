/**
 * Kafka's own ProducerPerformance and ConsumerPerformance (org.apache.kafka:kafka-tools, the broker's version, fetched
 * by `npm run services` with the broker's jars): the reference the Node clients are measured against.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { java17 } from '../../scripts/services/java.js';
import { COMMON_JVM_OPTIONS } from '../../scripts/services/jvm.js';
import { KAFKA_VERSION, kafkaToolsJars } from '../../scripts/services/kafka-tools.js';
import type { BenchSettings, Contestant } from './contestant.js';
import type { Workload } from './records.js';

const run = promisify(execFile);

function jvmArguments(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-kafka-tools-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const log4j = join(dir, 'log4j.properties');
  writeFileSync(
    log4j,
    'log4j.rootLogger=WARN, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\nlog4j.appender.stderr.Target=System.err\nlog4j.appender.stderr.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stderr.layout.ConversionPattern=%p %m%n\n',
  );
  return ['-Xmx512m', ...COMMON_JVM_OPTIONS, `-Dlog4j.configuration=file:${log4j}`, '-cp', `${kafkaToolsJars()}/*`];
}

async function tool(jvm: string[], main: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(java17(), [...jvm, `org.apache.kafka.tools.${main}`, ...args], { maxBuffer: 64 << 20 });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(
      `${main} failed: ${String(stderr || stdout || error)
        .trim()
        .split('\n')
        .slice(-5)
        .join('\n')}`,
    );
  }
}

/**
 * `producerProps` beyond acks=all and no compression: none gives the producer's defaults (batch.size 16 KiB, linger.ms
 * 0), which on a busy machine sends many small requests; `batch.size=524288 linger.ms=10` lets it build requests the
 * size of the Node clients' send calls.
 */
export function javaToolsContestant(settings: BenchSettings, producerProps: string[] = []): Contestant {
  const jvm = jvmArguments();
  return {
    name: `kafka-tools ${KAFKA_VERSION} (Java)${producerProps.length > 0 ? `, ${producerProps.join(' ')}` : ''}`,

    async produce(topic: string, workload: Workload) {
      const out = await tool(jvm, 'ProducerPerformance', [
        '--topic',
        topic,
        '--num-records',
        String(workload.records),
        '--record-size',
        String(workload.size),
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${settings.broker}`,
        'acks=all',
        'compression.type=none',
        ...producerProps,
      ]);
      // Last line: "1000000 records sent, 190000.2 records/sec (36.24 MB/sec), ... latency ..."
      const match = /^(\d+) records sent, ([\d.]+) records\/sec/m.exec(out.trim().split('\n').at(-1) ?? '');
      if (!match) throw new Error(`ProducerPerformance: no summary line in:\n${out}`);
      if (Number(match[1]) !== workload.records) throw new Error(`ProducerPerformance sent ${match[1]} of ${workload.records} records`);
      return Number(match[2]);
    },

    async consume(topic: string, workload: Workload) {
      const out = await tool(jvm, 'ConsumerPerformance', [
        '--bootstrap-server',
        settings.broker,
        '--topic',
        topic,
        '--messages',
        String(workload.records),
        '--group',
        `${topic}-reader`,
        '--timeout',
        '60000',
      ]);
      // Header then one CSV line; fetch.nMsg.sec leaves out the group join, as the Node contestants' clocks do.
      const lines = out.trim().split('\n');
      const header = lines.findIndex((line) => line.startsWith('start.time'));
      const names = lines[header]?.split(',').map((s) => s.trim()) ?? [];
      const values = lines[header + 1]?.split(',').map((s) => s.trim()) ?? [];
      const field = (name: string) => Number(values[names.indexOf(name)]);
      if (field('data.consumed.in.nMsg') !== workload.records) {
        throw new Error(
          `ConsumerPerformance read ${values[names.indexOf('data.consumed.in.nMsg')]} of ${workload.records} records:\n${out}`,
        );
      }
      return field('fetch.nMsg.sec');
    },
  };
}
