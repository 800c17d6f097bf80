/**
 * `npm run bench -- parsers [json|csv|kafka|dictionary]`: the parsing sources building columns (getColumns) against
 * building rows (getBatch, the path before issue 17), with a plain loop doing the same work as the baseline
 * (bench/parsers/baselines.ts), in the same run: medians of BENCH_RUNS (default 3) runs, interleaved.
 *
 * - json, csv: BENCH_ROWS (default 500,000) records `time, device, reading, ok, note` (device: 100 distinct values,
 *   note: all distinct) in one file read by the file source.
 * - kafka: BENCH_KAFKA_RECORDS (default 200,000) records (key: 100 distinct, value ~60 bytes) in a 2-partition topic of
 *   the Kafka of `npm run services`, read by the kafka source (fetches from the broker included, the same for all).
 * Each is timed reading alone and reading + a filter (`device = 'dev-7' and reading > 50`; kafka: `key = 'dev-7' and
 * offset % 2 == 0`): the row closure per row on rows, one comparison per distinct value on a dictionary column.
 * - dictionary: when dictionary-encoding pays (bench/parsers/dictionary.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { asyncScheduler } from 'rxjs';
import { createSource } from '../src/api/build.js';
import { selectWhere } from '../src/core/columnar/evaluate.js';
import { compileExpression } from '../src/core/expr/index.js';
import { silentLogger } from '../src/core/logger.js';
import type { Offset } from '../src/core/row.js';
import type { Source } from '../src/core/source.js';
import { fileSource } from '../src/sources/file/index.js';
import { kafkaSource } from '../src/sources/kafka/index.js';
import { KafkaReader } from '../src/sources/kafka/reader.js';
import { TestKafka } from '../test/sources/kafka-fixtures/test-kafka.js';
import { service } from '../test/support/services.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import { plainCsv, plainJson, plainKafka } from './parsers/baselines.js';
import { dictionaryBench } from './parsers/dictionary.js';
import { formatRate, median } from './stats.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 500_000);
const KAFKA_RECORDS = Number(process.env.BENCH_KAFKA_RECORDS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const only = process.argv[2];

/** One source to measure: how to open it over the whole input, its filter, and the baseline loop. */
interface Case {
  name: string;
  rows: number;
  filter: string;
  open: () => Promise<{ source: Source; end: Offset }>;
  baseline: (filter: boolean) => Promise<number> | number;
}

/**
 * The ways of reading a case, each giving the rows it kept (checked equal across ways). `opened` is one source for
 * rows and one for columns, opened once (a kafka source's connections are not part of what is measured); each read
 * asks it for the same (null, end] batch again, as a replay would.
 */
function ways(c: Case, opened: Array<{ source: Source; end: Offset }>): Array<[string, (filter: boolean) => Promise<number> | number]> {
  const [forRows, forColumns] = opened;
  const filter = compileExpression(c.filter, forRows.source.schema);
  return [
    ['baseline', c.baseline],
    [
      'rows',
      async (filtered) => {
        const rows = await forRows.source.getBatch(null, forRows.end);
        return filtered ? rows.filter((r) => filter.evaluate(r) === true).length : rows.length;
      },
    ],
    [
      'columns',
      async (filtered) => {
        const columns = await forColumns.source.getColumns!(null, forColumns.end);
        return filtered ? selectWhere(filter, columns).length : columns.length;
      },
    ],
  ];
}

async function runCase(c: Case): Promise<void> {
  const opened = [await c.open(), await c.open()];
  const table = ways(c, opened);
  const wall = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  const kept = new Map<boolean, number>();
  for (let run = 0; run < RUNS; run++) {
    for (const filtered of [false, true]) {
      for (const [name, read] of table) {
        const label = filtered ? `${name} + filter` : name;
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        const count = await read(filtered);
        const used = process.cpuUsage(cpuStart);
        wall.set(label, [...(wall.get(label) ?? []), (performance.now() - start) / 1000]);
        cpu.set(label, [...(cpu.get(label) ?? []), (used.user + used.system) / 1e6]);
        if (!filtered && count !== c.rows) throw new Error(`${c.name} ${label}: ${count} rows, expected ${c.rows}`);
        if (kept.has(filtered) && kept.get(filtered) !== count)
          throw new Error(`${c.name} ${label}: kept ${count}, others ${kept.get(filtered)}`);
        kept.set(filtered, count);
      }
    }
  }
  for (const { source } of opened) await source.stop();
  process.stdout.write(
    `\n${c.name}: ${c.rows.toLocaleString('en')} records (filter ${c.filter}: ${kept.get(true)} kept), medians of ${RUNS}; rows/s by wall time | by CPU time (this process, GC threads included)\n`,
  );
  for (const filtered of ['', ' + filter']) {
    for (const [name] of table) {
      const label = `${name}${filtered}`.padEnd(18);
      process.stdout.write(`  ${label} ${rates(wall, c.rows, name, filtered)} | ${rates(cpu, c.rows, name, filtered)}\n`);
    }
  }
}

/** rows/s of a way, with its ratio to the baseline and, for columns, to rows. */
function rates(seconds: Map<string, number[]>, rows: number, name: string, filtered: string): string {
  const at = (way: string) => median(seconds.get(`${way}${filtered}`)!);
  const vsBaseline = name === 'baseline' ? '' : ` ${(at('baseline') / at(name)).toFixed(2)}x baseline`;
  const vsRows = name === 'columns' ? `, ${(at('rows') / at('columns')).toFixed(2)}x rows` : '';
  return `${formatRate(rows / at(name)).padStart(7)} rows/s${vsBaseline}${vsRows}`.padEnd(45);
}

function fileCase(dir: string, format: 'json' | 'csv'): Case {
  const file = `data.${format}`;
  return {
    name: format,
    rows: ROWS,
    filter: "device = 'dev-7' and reading > 50",
    open: async () => {
      const options = { path: join(dir, file), format, header: format === 'csv', schema: FILE_SCHEMA };
      const source = fileSource.create(fileSource.options.parse(options), { location: { file: 'bench', path: 'source' } } as never);
      await source.open({ scheduler: asyncScheduler, logger: silentLogger });
      return { source, end: file };
    },
    baseline: (filter) => (format === 'json' ? plainJson : plainCsv)(join(dir, file), filter),
  };
}

const FILE_SCHEMA = { time: 'timestamp', device: 'string', reading: 'double', ok: 'boolean', note: 'string' };

function writeFiles(dir: string): void {
  const json: string[] = [];
  const csv: string[] = ['time,device,reading,ok,note'];
  for (let i = 0; i < ROWS; i++) {
    const r = {
      time: new Date(1_764_572_400_000 + i * 10).toISOString(),
      device: `dev-${(i * 7919) % 100}`,
      reading: (i % 1000) / 10,
      ok: i % 3 !== 0,
      note: `n${i}`,
    };
    json.push(JSON.stringify(r));
    csv.push(`${r.time},${r.device},${r.reading},${r.ok},${r.note}`);
  }
  writeFileSync(join(dir, 'data.json'), `${json.join('\n')}\n`);
  writeFileSync(join(dir, 'data.csv'), `${csv.join('\n')}\n`);
}

async function kafkaCase(address: string, kafka: TestKafka): Promise<{ c: Case; reader: KafkaReader }> {
  const topic = await kafka.topic('parsers-bench', 2);
  for (let i = 0; i < KAFKA_RECORDS; i += 5000) {
    const records = Array.from({ length: Math.min(5000, KAFKA_RECORDS - i) }, (_, j) => ({
      partition: (i + j) % 2,
      key: `dev-${((i + j) * 7919) % 100}`,
      value: JSON.stringify({ n: i + j, reading: ((i + j) % 1000) / 10, note: 'x'.repeat(20) }),
    }));
    await kafka.produce(topic, records);
  }
  const connection = { bootstrapServers: address, subscribe: topic, startingOffsets: 'earliest' };
  const reader = new KafkaReader(kafkaSource.options.parse(connection) as never, 'read_committed', 1 << 20);
  const ends = [Math.ceil(KAFKA_RECORDS / 2), Math.floor(KAFKA_RECORDS / 2)];
  const c: Case = {
    name: 'kafka',
    rows: KAFKA_RECORDS,
    filter: "key = 'dev-7' and offset % 2 == 0",
    open: async () => {
      const source = createSource(kafkaSource, connection as never);
      await source.open({ scheduler: asyncScheduler, logger: silentLogger });
      return { source, end: (await source.latestOffset(null))! };
    },
    baseline: (filter) => plainKafka(reader, topic, ends, filter),
  };
  return { c, reader };
}

process.stdout.write(
  `parsers bench, load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
if (!only || only === 'json' || only === 'csv') {
  const dir = makeTempDir('streamlab-bench-parsers-');
  writeFiles(dir);
  if (only !== 'csv') await runCase(fileCase(dir, 'json'));
  if (only !== 'json') await runCase(fileCase(dir, 'csv'));
}
if (!only || only === 'kafka') {
  const address = service('kafka');
  if (address.skip) process.stdout.write(`\nkafka: skipped (${address.skip})\n`);
  else {
    const kafka = new TestKafka(address.address);
    try {
      const { c, reader } = await kafkaCase(address.address, kafka);
      await runCase(c);
      await reader.close();
    } finally {
      await kafka.close();
    }
  }
}
if (!only || only === 'dictionary') dictionaryBench(1_000_000, RUNS);
