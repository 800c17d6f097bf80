/**
 * The flags of `streamlab bench`, parsed and checked (every problem at once, exit 2). What is not given stays
 * undefined, so a bench file's value (or the default) applies: flags override the file.
 */
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import type { Guarantee } from '../benchmark/plan.js';
import { guaranteeChoices } from '../benchmark/bench-file-schema.js';
import { parseCommandArgs } from './args.js';

export interface BenchFlags {
  file?: string;
  sinks?: string[];
  workload?: string;
  scale?: number;
  rows?: number;
  batchSizes?: number[];
  repeat?: number;
  guarantees?: Guarantee[];
  noBaselines: boolean;
  freshnessSamples?: number;
  report?: string;
  /** true: --services, false: --no-services, undefined: when .services/env exists. */
  services?: boolean;
  serverPids?: number[];
  keep: boolean;
  help: boolean;
}

const OPTIONS = {
  sinks: { type: 'string' },
  workload: { type: 'string' },
  scale: { type: 'string' },
  rows: { type: 'string' },
  'batch-sizes': { type: 'string' },
  repeat: { type: 'string' },
  guarantee: { type: 'string' },
  'no-baselines': { type: 'boolean' },
  'freshness-samples': { type: 'string' },
  report: { type: 'string' },
  services: { type: 'boolean' },
  'no-services': { type: 'boolean' },
  'server-pid': { type: 'string', multiple: true },
  keep: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseBenchFlags(args: string[], usage: string): BenchFlags {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, usage);
  const problems: ConfigProblem[] = [];
  const number = (flag: string, min: number) => {
    const text = values[flag] as string | undefined;
    return text === undefined ? undefined : wholeNumber(flag, text, min, problems);
  };
  const list = (flag: string) => (values[flag] as string | undefined)?.split(',').map((s) => s.trim());
  if (positionals.length > 1) problems.push({ message: `bench takes at most one bench file, found: ${positionals.join(' ')}` });
  if (values.services && values['no-services']) problems.push({ message: '--services and --no-services: choose one' });
  const sinks = list('sinks');
  if (sinks?.some((s) => s === '')) problems.push({ message: `--sinks: expected names separated by commas, found '${values.sinks}'` });
  const flags: BenchFlags = {
    file: positionals[0],
    sinks,
    workload: values.workload as string | undefined,
    scale: number('scale', 1),
    rows: number('rows', 1),
    batchSizes: list('batch-sizes')?.map((s) => wholeNumber('--batch-sizes', s, 1, problems) ?? 0),
    repeat: number('repeat', 1),
    guarantees: guarantees(values.guarantee as string | undefined, problems),
    noBaselines: values['no-baselines'] === true,
    freshnessSamples: number('freshness-samples', 0),
    report: values.report as string | undefined,
    services: values.services ? true : values['no-services'] ? false : undefined,
    serverPids: serverPids(values['server-pid'] as unknown as string[] | undefined, problems),
    keep: values.keep === true,
    help: values.help === true,
  };
  if (problems.length > 0 && !flags.help) throw new ConfigError(problems);
  return flags;
}

/** `1000000`, `1_000_000` or `1e6`; at least `min`. */
function wholeNumber(flag: string, text: string, min: number, problems: ConfigProblem[]): number | undefined {
  const name = flag.startsWith('--') ? flag : `--${flag}`;
  const value = /^\d+(_\d+)*$/.test(text) ? Number(text.replaceAll('_', '')) : /^\d+(\.\d+)?e\d+$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    problems.push({ message: `${name}: expected a whole number >= ${min}, found '${text}'` });
    return undefined;
  }
  return value;
}

function guarantees(text: string | undefined, problems: ConfigProblem[]): Guarantee[] | undefined {
  if (text === undefined) return undefined;
  if (!(guaranteeChoices as readonly string[]).includes(text)) {
    problems.push({ message: `--guarantee: expected ${guaranteeChoices.join(', ')}, found '${text}'` });
    return undefined;
  }
  return text === 'both' ? ['exactly-once', 'none'] : [text as Guarantee];
}

function serverPids(given: string[] | undefined, problems: ConfigProblem[]): number[] | undefined {
  if (!given) return undefined;
  return given.flatMap((item) => item.split(',')).map((pid) => wholeNumber('--server-pid', pid.trim(), 1, problems) ?? 0);
}
