/**
 * Reading points back from the real servers, independently of the sink: Flux through the client's QueryApi (the
 * 2.x API of InfluxDB 1.8) and InfluxQL through `/query` (both servers). Both give the same normalized shape, so a
 * test compares whole points: measurement, every tag, every field with its type, and the time.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { InfluxDB } from '@influxdata/influxdb-client';
import type { Row } from '../../../src/core/row.js';

export interface Point {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, number | string | boolean>;
  /** Epoch ms. */
  time: number;
}

/** An answer of InfluxQL's `/query` (1.x, and 1.8's compatibility API): one result per statement. */
export interface InfluxQLAnswer {
  error?: string;
  results: { error?: string; series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[] }[];
}

/** Runs InfluxQL and reads the whole answer (1.x sends the status before it runs the statement); throws on errors. */
export async function influxQL(url: string, q: string, db?: string, epoch: 'ms' | 'rfc3339' = 'ms'): Promise<InfluxQLAnswer> {
  const params = new URLSearchParams(epoch === 'ms' ? { q, epoch } : { q });
  if (db) params.set('db', db);
  const response = await fetch(`${url}/query`, { method: 'POST', body: params });
  const text = await response.text();
  const json: Partial<InfluxQLAnswer> = text ? JSON.parse(text) : {};
  const error = json.error ?? json.results?.find((r) => r.error)?.error;
  if (!response.ok || error) throw new Error(`InfluxQL ${q}: HTTP ${response.status} ${error ?? text}`);
  return { ...json, results: json.results ?? [] };
}

export async function createDatabase(url: string, name: string): Promise<void> {
  await influxQL(url, `CREATE DATABASE "${name}"`);
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  await influxQL(url, `DROP DATABASE "${name}"`);
}

/** Field name -> InfluxQL type (float, integer, string, boolean). */
export async function fieldTypes(url: string, db: string, measurement: string): Promise<Record<string, string>> {
  const json = await influxQL(url, `SHOW FIELD KEYS FROM "${measurement}"`, db);
  const values = (json.results[0].series?.[0].values ?? []) as Array<[string, string]>;
  return Object.fromEntries(values);
}

/** Every point of a measurement through InfluxQL, sorted by time then tags. */
export async function readInfluxQL(url: string, db: string, measurement: string): Promise<Point[]> {
  const tagJson = await influxQL(url, `SHOW TAG KEYS FROM "${measurement}"`, db);
  const tagKeys = new Set((tagJson.results[0].series?.[0].values ?? []).map((v) => String(v[0])));
  const json = await influxQL(url, `SELECT * FROM "${measurement}"`, db);
  const series = json.results[0].series?.[0];
  if (!series) return [];
  const points: Point[] = series.values.map((values: unknown[]) => {
    const point: Point = { measurement, tags: {}, fields: {}, time: values[0] as number };
    series.columns.forEach((column: string, i: number) => {
      if (i === 0 || values[i] === null) return;
      if (tagKeys.has(column)) point.tags[column] = values[i] as string;
      else point.fields[column] = values[i] as number | string | boolean;
    });
    return point;
  });
  return sortPoints(points);
}

/**
 * Every point of a measurement through Flux (`from |> range |> filter`), one row per field turned back into one
 * point per (tags, time).
 */
export async function readFlux(url: string, bucket: string, measurement: string): Promise<Point[]> {
  const client = new InfluxDB({ url, token: 'unused:unused' });
  const flux = `from(bucket: "${bucket}")
    |> range(start: 1970-01-01T00:00:00Z, stop: 2100-01-01T00:00:00Z)
    |> filter(fn: (r) => r._measurement == "${measurement}")`;
  const rows = await client.getQueryApi('').collectRows<Record<string, unknown>>(flux);
  const byKey = new Map<string, Point>();
  for (const row of rows) {
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(row)) {
      if (!key.startsWith('_') && key !== 'result' && key !== 'table' && value !== '' && value !== null) tags[key] = String(value);
    }
    const time = Date.parse(String(row._time));
    const key = JSON.stringify([time, Object.entries(tags).sort()]);
    let point = byKey.get(key);
    if (!point) byKey.set(key, (point = { measurement: String(row._measurement), tags, fields: {}, time }));
    // Flux answers in CSV written by Go's encoding/csv with UseCRLF, which turns a \n inside a string into \r\n
    // (InfluxQL returns the stored \n); undo that, and only that.
    const value = typeof row._value === 'string' ? row._value.replaceAll('\r\n', '\n') : row._value;
    point.fields[String(row._field)] = value as number | string | boolean;
  }
  return sortPoints([...byKey.values()]);
}

export function sortPoints(points: Point[]): Point[] {
  const key = (p: Point) => JSON.stringify([p.time, Object.entries(p.tags).sort()]);
  return points
    .map((p) => ({ ...p, tags: sortKeys(p.tags), fields: sortKeys(p.fields) }))
    .sort((a, b) => a.time - b.time || key(a).localeCompare(key(b)));
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** The points rows should become, written out independently of the sink's serializer. */
export function expectedPoints(rows: Row[], measurement: string, tags: string[], fields: string[], time = 'timestamp'): Point[] {
  return sortPoints(
    rows.map((row) => ({
      measurement,
      tags: Object.fromEntries(tags.filter((t) => row[t] !== null && row[t] !== '').map((t) => [t, String(row[t])])),
      fields: Object.fromEntries(fields.filter((f) => row[f] !== null).map((f) => [f, row[f] as number | string | boolean])),
      time: (row[time] as Date).getTime(),
    })),
  );
}

/** A point with its time in nanoseconds since the epoch, as decimal text (it exceeds 2^53). */
export type NanoPoint = Omit<Point, 'time'> & { time: string };

/** RFC 3339 with up to 9 fraction digits (what InfluxQL without `epoch` and Flux answer) -> nanoseconds. */
export function rfc3339ToNanos(text: string): string {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (!match) throw new Error(`not an RFC 3339 UTC time: ${text}`);
  const seconds = BigInt(Date.parse(`${match[1]}Z`) / 1000);
  return String(seconds * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0')));
}

/**
 * Every point of a measurement through InfluxQL with nanosecond times (epoch=ms would merge points of one ms). The
 * measurement is matched by a regular expression: a quoted InfluxQL identifier cannot hold a tab.
 */
export async function readInfluxQLNanos(url: string, db: string, measurement: string): Promise<NanoPoint[]> {
  const pattern = measurement
    .replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
    .replaceAll('\t', '\\t')
    .replaceAll('\r', '\\r');
  const quoted = `/^${pattern}$/`;
  const tagJson = await influxQL(url, `SHOW TAG KEYS FROM ${quoted}`, db);
  const tagKeys = new Set<string>((tagJson.results[0].series?.[0].values ?? []).map((v) => String(v[0])));
  const json = await influxQL(url, `SELECT * FROM ${quoted}`, db, 'rfc3339');
  const series = json.results[0].series?.[0];
  if (!series) return [];
  const points: NanoPoint[] = series.values.map((values: unknown[]) => {
    const point: NanoPoint = { measurement: series.name, tags: {}, fields: {}, time: rfc3339ToNanos(values[0] as string) };
    series.columns.forEach((column: string, i: number) => {
      if (i === 0 || values[i] === null) return;
      if (tagKeys.has(column)) point.tags[column] = values[i] as string;
      else point.fields[column] = values[i] as number | string | boolean;
    });
    return point;
  });
  return sortNanoPoints(points);
}

/** Every point of a measurement through Flux, with nanosecond times. */
export async function readFluxNanos(url: string, bucket: string, measurement: string): Promise<NanoPoint[]> {
  const client = new InfluxDB({ url, token: 'unused:unused' });
  const flux = `from(bucket: "${bucket}")
    |> range(start: 1970-01-01T00:00:00Z, stop: 2100-01-01T00:00:00Z)
    |> filter(fn: (r) => r._measurement == "${measurement}")`;
  const rows = await client.getQueryApi('').collectRows<Record<string, unknown>>(flux);
  const byKey = new Map<string, NanoPoint>();
  for (const row of rows) {
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(row)) {
      if (!key.startsWith('_') && key !== 'result' && key !== 'table' && value !== '' && value !== null) tags[key] = String(value);
    }
    const time = rfc3339ToNanos(String(row._time));
    const key = JSON.stringify([time, Object.entries(tags).sort()]);
    let point = byKey.get(key);
    if (!point) byKey.set(key, (point = { measurement: String(row._measurement), tags, fields: {}, time }));
    point.fields[String(row._field)] = row._value as number | string | boolean;
  }
  return sortNanoPoints([...byKey.values()]);
}

export function sortNanoPoints(points: NanoPoint[]): NanoPoint[] {
  const key = (p: NanoPoint) => JSON.stringify([p.time.padStart(20, '0'), Object.entries(p.tags).sort()]);
  return points.map((p) => ({ ...p, tags: sortKeys(p.tags), fields: sortKeys(p.fields) })).sort((a, b) => key(a).localeCompare(key(b)));
}
