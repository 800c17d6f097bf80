/**
 * One TargetSession per configured target, opened before anything is measured: an unknown sink, options its schema
 * refuses (ConfigError, naming the bench target and the option) or a server that is not up (the target's
 * TargetError, naming the address and how to start it) stop the bench before its first run.
 */
import { secretKeys } from '../component/secret.js';
import { ConfigError } from '../core/errors.js';
import { redact, REDACTED } from '../core/redact.js';
import { findComponent, sinks } from '../registry.js';
import type { BenchEvent, BenchPlan, TargetConfig } from './plan.js';
import type { BenchResults } from './results.js';
import { sinkConnection } from './sink-job.js';
import type { BenchTarget, SinkConnection, TargetSession } from './target.js';

export interface OpenTarget {
  config: TargetConfig;
  target: BenchTarget;
  connection: SinkConnection;
  session: TargetSession;
}

export async function openSessions(
  plan: BenchPlan,
  targets: readonly BenchTarget[],
  emit: (event: BenchEvent) => void,
): Promise<OpenTarget[]> {
  const checked = plan.targets.map((config) => {
    const target = targets.find((t) => t.sink === config.sink);
    if (!target) {
      const known = targets.map((t) => t.sink).join(', ') || 'none';
      throw ConfigError.single({ message: `bench target '${config.target}': no bench target for sink '${config.sink}' (known: ${known})` });
    }
    return { config, target, connection: sinkConnection(config, target, plan) };
  });
  const opened: OpenTarget[] = [];
  try {
    for (const item of checked) opened.push({ ...item, session: await item.target.open(item.connection) });
  } catch (error) {
    await closeSessions(opened, emit);
    throw error;
  }
  return opened;
}

export async function closeSessions(opened: OpenTarget[], emit: (event: BenchEvent) => void): Promise<void> {
  for (const { config, session } of opened) {
    await session.close().catch((error: unknown) => {
      emit({ type: 'note', message: `${config.target}: closing its connection failed: ${redact(String(error))}` });
    });
  }
}

/** The servers written to, one entry per sink and address. */
export function serverEntries(opened: OpenTarget[]): BenchResults['servers'] {
  const entries: BenchResults['servers'] = [];
  for (const { config, connection, session } of opened) {
    const address = addressOf(connection);
    if (entries.some((e) => e.sink === config.sink && e.address === address)) continue;
    entries.push({
      sink: config.sink,
      version: session.serverVersion ?? null,
      address,
      ...(session.note ? { note: session.note } : {}),
    });
  }
  return entries;
}

/** host:port, a URL (without its user info), contact points or a StarRocks FE; null for an in-process or file sink. */
export function addressOf(connection: SinkConnection): string | null {
  const { url, host, port, contactPoints, feHost, httpPort } = connection;
  if (typeof url === 'string') return redact(url);
  if (typeof host === 'string') return port === undefined ? host : `${host}:${String(port)}`;
  if (typeof feHost === 'string') return httpPort === undefined ? feHost : `${feHost}:${String(httpPort)}`;
  if (Array.isArray(contactPoints)) return contactPoints.join(',');
  if (typeof contactPoints === 'string') return contactPoints;
  return null;
}

/** The options each target set, secrets (by the sink's schema) shown as ***. */
export function targetEntries(plan: BenchPlan): BenchResults['config']['targets'] {
  return plan.targets.map((config) => {
    const definition = findComponent(sinks, config.sink);
    const hidden = new Set(definition ? secretKeys(definition.options) : []);
    const options = Object.fromEntries(Object.entries(config.options).map(([k, v]) => [k, hidden.has(k) ? REDACTED : v]));
    return { target: config.target, sink: config.sink, options };
  });
}
