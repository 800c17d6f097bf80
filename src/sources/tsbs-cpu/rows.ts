/**
 * The rows of TSBS's cpu-only use case (pkg/data/usecases/devops/cpu.go, cpu_only_generate_data.go): per tick, one
 * reading per host, hosts 0..scale-1 in order, tick n at start + n * interval. Row i is host i % scale at tick
 * floor(i / scale), as TSBS writes them (CPUOnlySimulator.Next ticks every host after the last one).
 *
 * Values. TSBS: each of the ten fields is a clamped random walk (common.CWD): it starts uniform in [0, 100], moves by
 * a normal step N(0, 1) per tick, stays within [0, 100], and is written truncated to an integer
 * (SubsystemMeasurement.ToPointAllInt64; InfluxDB line protocol `usage_user=58i`). A walk can only be computed by
 * replaying it from tick 0. Here a value is a pure function of (tick, host, field), so any offset is computed
 * directly: 50 + 55 * (a sum of three octaves of value noise, knots every 512, 64 and 8 ticks, weights
 * 0.62 / 0.28 / 0.10), truncated and clamped to [0, 100]. Like TSBS's walk it wanders over the whole range, slowly
 * (about one unit per tick), and sometimes rests at 0 or 100; unlike it, its steps are not independent normal ones.
 */
import type { Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import { unit3 } from '../../core/hash.js';
import { type HostTags, hostTags, TSBS_TAG_KEYS } from './hosts.js';

/** cpu.go `cpuFields`, in TSBS's order. */
export const TSBS_CPU_FIELDS = [
  'usage_user',
  'usage_system',
  'usage_idle',
  'usage_nice',
  'usage_iowait',
  'usage_irq',
  'usage_softirq',
  'usage_steal',
  'usage_guest',
  'usage_guest_nice',
] as const;

export const TSBS_CPU_SCHEMA: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  ...TSBS_TAG_KEYS.map((name) => ({ name, type: 'string' as const })),
  ...TSBS_CPU_FIELDS.map((name) => ({ name, type: 'long' as const })),
];

export interface TsbsCpuConfig {
  /** Hosts (TSBS --scale). */
  scale: number;
  /** Between two readings of a host (TSBS --log-interval), ms. */
  intervalMs: number;
  /** Time of tick 0 (TSBS --timestamp-start), epoch ms. */
  startMs: number;
}

const OCTAVES = [
  { spacing: 512, weight: 0.62 },
  { spacing: 64, weight: 0.28 },
  { spacing: 8, weight: 0.1 },
] as const;

/** Value noise in [-1, 1): a random knot every `spacing` ticks, straight lines between them. */
function valueNoise(tick: number, spacing: number, host: number, channel: number): number {
  const knot = Math.floor(tick / spacing);
  const t = (tick - knot * spacing) / spacing;
  const a = unit3(knot, host, channel);
  return 2 * (a + (unit3(knot + 1, host, channel) - a) * t) - 1;
}

/** 50 + 55 * the octaves' weighted sum, truncated and clamped to [0, 100]. */
const toUsage = (sum: number) => {
  const value = Math.trunc(50 + 55 * sum);
  return Math.max(0, Math.min(100, value));
};

/** Field `field` (index in TSBS_CPU_FIELDS) of host `host` at tick `tick`: a whole number in [0, 100]. */
export function cpuUsage(tick: number, host: number, field: number): number {
  let sum = 0;
  for (let o = 0; o < OCTAVES.length; o++) sum += OCTAVES[o].weight * valueNoise(tick, OCTAVES[o].spacing, host, field * 4 + o);
  return toUsage(sum);
}

/**
 * The row generator of one configuration; it keeps each host's tags once computed (they never change). The values
 * are computed afresh: caching the knots per host measured no faster, building the row objects is most of the cost.
 */
export function tsbsCpuRows(config: TsbsCpuConfig): (from: number, to: number) => Row[] {
  const { scale, intervalMs, startMs } = config;
  const tags: HostTags[] = [];
  const tagsOf = (host: number) => tags[host] ?? (tags[host] = hostTags(host));
  return (from, to) => {
    const rows: Row[] = new Array(to - from);
    for (let i = from; i < to; ) {
      const tick = Math.floor(i / scale);
      // One Date per tick, shared by its hosts' rows: rows' values are never mutated.
      const timestamp = new Date(startMs + tick * intervalMs);
      for (let host = i - tick * scale; host < scale && i < to; host++, i++) rows[i - from] = cpuRow(timestamp, tagsOf(host), tick, host);
    }
    return rows;
  };
}

/** One row as an object literal of fixed shape (one hidden class for all rows: fast to build and to read). */
function cpuRow(timestamp: Date, t: HostTags, tick: number, host: number): Row {
  return {
    timestamp,
    hostname: t.hostname,
    region: t.region,
    datacenter: t.datacenter,
    rack: t.rack,
    os: t.os,
    arch: t.arch,
    team: t.team,
    service: t.service,
    service_version: t.service_version,
    service_environment: t.service_environment,
    usage_user: cpuUsage(tick, host, 0),
    usage_system: cpuUsage(tick, host, 1),
    usage_idle: cpuUsage(tick, host, 2),
    usage_nice: cpuUsage(tick, host, 3),
    usage_iowait: cpuUsage(tick, host, 4),
    usage_irq: cpuUsage(tick, host, 5),
    usage_softirq: cpuUsage(tick, host, 6),
    usage_steal: cpuUsage(tick, host, 7),
    usage_guest: cpuUsage(tick, host, 8),
    usage_guest_nice: cpuUsage(tick, host, 9),
  };
}
