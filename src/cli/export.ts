import { writeFileSync } from 'node:fs';
import { loadJob } from '../config/load-job.js';
import { ConfigError } from '../core/errors.js';
import { parseCommandArgs } from './args.js';
import { pysparkProgram } from './pyspark/program.js';

export const EXPORT_USAGE = `Usage: streamlab export pyspark <job name | path.yaml> [-o file.py]

Prints the job as a PySpark Structured Streaming program (or writes it to -o): the source, every operator in
Spark's API, the trigger, output mode and checkpoint location, and the sink. Connection settings are read from the
same environment variables as streamlab's profiles; no secret is written into the program. A part of the job that
has no Spark translation is refused (exit 2) with what it is and where.

Options:
  -o, --output <file>    write the program to this file instead of stdout`;

/** `streamlab export pyspark <job> [-o file]`. */
export function exportCommand(args: string[]): number {
  const options = { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } as const;
  const { values, positionals } = parseCommandArgs(args, options, EXPORT_USAGE);
  if (values.help) {
    process.stdout.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  const [target, job, ...rest] = positionals;
  if (target !== 'pyspark' || job === undefined || rest.length > 0) {
    throw ConfigError.single({
      message: `${target && target !== 'pyspark' ? `unknown export target '${target}' (known: pyspark)\n` : ''}${EXPORT_USAGE}`,
    });
  }
  const program = pysparkProgram(loadJob(job));
  if (typeof values.output === 'string') {
    writeFileSync(values.output, program);
    process.stderr.write(`wrote ${values.output}\n`);
  } else process.stdout.write(program);
  return 0;
}
