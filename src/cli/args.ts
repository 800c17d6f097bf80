import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../core/errors.js';
import { didYouMean } from './did-you-mean.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs, with its errors turned into usage errors (exit 2, no stack trace): an unknown option gets a
 * did-you-mean among the command's options; every error ends with the usage line and where to find the options.
 */
export function parseCommandArgs<O extends Options>(
  args: string[],
  options: O,
  usage: string,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw ConfigError.single({ message: `${describeParseError(error as Error, options)}\n${usagePointer(usage)}` });
  }
}

/** "unknown option '--max-batch'; did you mean --max-batches?" instead of node's advice about positionals and '--'. */
function describeParseError(error: Error & { code?: string }, options: Options): string {
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '([^']+)'/.exec(error.message) : null;
  if (!unknown) return error.message;
  const flags = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
  return `unknown option '${unknown[1]}'${didYouMean(unknown[1], flags)}`;
}

/** The usage's first line and the command's --help: enough to go on without the whole help text. */
export function usagePointer(usage: string): string {
  const firstLine = usage.split('\n')[0];
  const command = /^Usage: ((?:[a-z][\w-]* ?)+)/.exec(firstLine)?.[1].trim() ?? 'streamlab';
  return `${firstLine}\nRun '${command} --help' for its options.`;
}
