/**
 * The plain loops bench/parsers.ts measures the sources against: the same records parsed into typed arrays and arrays
 * with no checks, no bad-record handling and no engine (the limit of what parsing in JS costs), then, with `filter`,
 * the filter written out by hand.
 */
import { readFileSync } from 'node:fs';
import type { KafkaReader } from '../../src/sources/kafka/reader.js';

/** Column arrays of the file records: time (epoch ms), device, reading, ok, note. */
interface FileColumns {
  time: Float64Array;
  device: string[];
  reading: Float64Array;
  ok: Uint8Array;
  note: string[];
}

function fileColumns(n: number): FileColumns {
  return { time: new Float64Array(n), device: new Array(n), reading: new Float64Array(n), ok: new Uint8Array(n), note: new Array(n) };
}

/** `device = 'dev-7' and reading > 50`, by hand. */
function countFiltered(c: FileColumns, n: number): number {
  let kept = 0;
  for (let i = 0; i < n; i++) if (c.device[i] === 'dev-7' && c.reading[i] > 50) kept++;
  return kept;
}

/** JSON.parse per line into column arrays; the row count, or with `filter` the rows it keeps. */
export function plainJson(path: string, filter: boolean): number {
  const lines = readFileSync(path, 'utf8').split('\n');
  const c = fileColumns(lines.length);
  let n = 0;
  for (const line of lines) {
    if (line === '') continue;
    const o = JSON.parse(line);
    c.time[n] = Date.parse(o.time);
    c.device[n] = o.device;
    c.reading[n] = o.reading;
    c.ok[n] = o.ok ? 1 : 0;
    c.note[n] = o.note;
    n++;
  }
  return filter ? countFiltered(c, n) : n;
}

/** split(',') per line (after the header) into column arrays. */
export function plainCsv(path: string, filter: boolean): number {
  const lines = readFileSync(path, 'utf8').split('\n');
  const c = fileColumns(lines.length);
  let n = 0;
  for (let l = 1; l < lines.length; l++) {
    if (lines[l] === '') continue;
    const f = lines[l].split(',');
    c.time[n] = Date.parse(f[0]);
    c.device[n] = f[1];
    c.reading[n] = Number(f[2]);
    c.ok[n] = f[3] === 'true' ? 1 : 0;
    c.note[n] = f[4];
    n++;
  }
  return filter ? countFiltered(c, n) : n;
}

/**
 * The kafka source's reader (fetches, record batches decoded in place) with a plain loop keeping key, value, offset
 * and timestamp; with `filter`, the records whose key is dev-7 and offset even (the kafka case's filter).
 */
export async function plainKafka(reader: KafkaReader, topic: string, ends: number[], filter: boolean): Promise<number> {
  const perPartition = await Promise.all(
    ends.map(async (until, partition) => {
      const keys: Array<string | null> = [];
      const values: Array<string | null> = [];
      const offsets = new Float64Array(until);
      const times = new Float64Array(until);
      await reader.read(
        { topic, partition },
        0,
        until,
        (r) => {
          offsets[keys.length] = r.offset;
          times[keys.length] = r.timestamp;
          keys.push(r.keyLength < 0 ? null : r.data.toString('utf8', r.keyStart, r.keyStart + r.keyLength));
          values.push(r.valueLength < 0 ? null : r.data.toString('utf8', r.valueStart, r.valueStart + r.valueLength));
        },
        () => undefined,
      );
      if (!filter) return keys.length;
      let kept = 0;
      for (let i = 0; i < keys.length; i++) if (keys[i] === 'dev-7' && offsets[i] % 2 === 0) kept++;
      return kept;
    }),
  );
  return perPartition.reduce((a, b) => a + b, 0);
}
