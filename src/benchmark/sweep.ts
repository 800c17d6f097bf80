/**
 * A sink entry's sweep, expanded: `sweep: { concurrency: [1, 2, 4] }` is three configurations of the same sink,
 * labelled `influxdb concurrency=1` ... ; several swept options give every combination, in the order written.
 */
import type { TargetConfig } from './plan.js';

export function expandSweep(
  base: { label: string; sink: string; profile?: string; options: Record<string, unknown> },
  sweep: Record<string, readonly unknown[]> = {},
): TargetConfig[] {
  let configs: TargetConfig[] = [
    { target: base.label, sink: base.sink, ...(base.profile ? { profile: base.profile } : {}), options: { ...base.options } },
  ];
  for (const [key, values] of Object.entries(sweep)) {
    configs = configs.flatMap((config) =>
      values.map((value) => ({
        ...config,
        target: `${config.target} ${key}=${formatValue(value)}`,
        options: { ...config.options, [key]: value },
      })),
    );
  }
  return configs;
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
