/**
 * Kafka's own Java tools (org.apache.kafka:kafka-tools of the broker's version, fetched by `npm run services`) for the
 * record-batch decoder's tests: VerifiableProducer writes batches as Kafka's Java producer builds them (its codecs,
 * snappy in xerial's framing), and ConsoleConsumer reads a partition back as Kafka's Java consumer decodes it, the
 * oracle the decoder is compared with.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { java17 } from '../../../scripts/services/java.js';
import { kafkaToolsJars } from '../../../scripts/services/kafka-tools.js';

const run = promisify(execFile);

export class JavaKafkaTools {
  private readonly dir = mkdtempSync(join(tmpdir(), 'streamlab-kafka-decode-'));

  constructor(private readonly address: string) {
    writeFileSync(
      join(this.dir, 'log4j.properties'),
      'log4j.rootLogger=ERROR, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\nlog4j.appender.stderr.Target=System.err\nlog4j.appender.stderr.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stderr.layout.ConversionPattern=%p %m%n\n',
    );
  }

  /**
   * `count` records from VerifiableProducer: values `<prefix>.0`, `<prefix>.1`, ... (the tool takes a number as prefix), keys 0..keys-1 repeating, create
   * times from `createTime` on, compressed with `codec`, batched (linger.ms 100) so a batch holds many records.
   */
  async produce(topic: string, options: { count: number; prefix: number; keys: number; createTime: number; codec: string }): Promise<void> {
    const config = join(this.dir, `producer-${options.prefix}.properties`);
    writeFileSync(config, `compression.type=${options.codec}\nlinger.ms=100\nbatch.size=1048576\nenable.idempotence=false\n`);
    await this.tool('org.apache.kafka.tools.VerifiableProducer', [
      '--bootstrap-server',
      this.address,
      '--topic',
      topic,
      '--max-messages',
      String(options.count),
      '--value-prefix',
      String(options.prefix),
      '--repeating-keys',
      String(options.keys),
      '--message-create-time',
      String(options.createTime),
      '--producer.config',
      config,
    ]);
  }

  /**
   * Partition 0 of `topic` from its start as Java's ConsoleConsumer prints it, one line per record:
   * `CreateTime:<ms>\tOffset:<n>\t<h1:v1,h2:v2 | NO_HEADERS>\t<key | null>\t<value | null>`.
   */
  async consume(topic: string, isolation: 'read_committed' | 'read_uncommitted', count: number): Promise<string[]> {
    const stdout = await this.tool('org.apache.kafka.tools.consumer.ConsoleConsumer', [
      '--bootstrap-server',
      this.address,
      '--topic',
      topic,
      '--partition',
      '0',
      '--offset',
      'earliest',
      '--isolation-level',
      isolation,
      '--max-messages',
      String(count),
      '--timeout-ms',
      '60000',
      '--property',
      'print.timestamp=true',
      '--property',
      'print.offset=true',
      '--property',
      'print.headers=true',
      '--property',
      'print.key=true',
    ]);
    return stdout.split('\n').filter((line) => line.length > 0);
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async tool(main: string, args: string[]): Promise<string> {
    const jvm = ['-Xmx256m', `-Dlog4j.configuration=file:${join(this.dir, 'log4j.properties')}`, '-cp', `${kafkaToolsJars()}/*`];
    try {
      return (await run(java17(), [...jvm, main, ...args], { maxBuffer: 64 << 20 })).stdout;
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
}
