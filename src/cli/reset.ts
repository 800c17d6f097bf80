import { existsSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { projectFolderOf } from '../config/checkpoint-location.js';
import { configDir, loadJob, PACKAGE_ROOT, resolveJobFile } from '../config/load-job.js';
import { CheckpointLock } from '../core/checkpoint/lock.js';
import { ConfigError } from '../core/errors.js';
import { parseCommandArgs } from './args.js';
import { formatBytes, summarizeCheckpoint } from './checkpoint-summary.js';

export const RESET_USAGE = `Usage: streamlab reset <job name | path.yaml> [--yes]

Deletes the job's checkpoint (offsets, commits, state), so that its next run starts again from batch 0 and reads its
source from the start. What the sink already wrote (files, tables, measurements) is not touched: a job run again
writes its rows again. Says what it will delete and asks first; when not at a terminal, give --yes.

Options:
  -y, --yes     delete without asking
  -h, --help    this help`;

/** How reset talks to the user; tests and the CLI give the process's streams. */
export interface ResetIo {
  out: (text: string) => void;
  /** Asks a yes/no question, or undefined when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
}

export async function resetCommand(args: string[], io: ResetIo = processIo()): Promise<number> {
  const options = { yes: { type: 'boolean', short: 'y' }, help: { type: 'boolean', short: 'h' } } as const;
  const { values, positionals } = parseCommandArgs(args, options, RESET_USAGE);
  if (values.help) {
    io.out(`${RESET_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw ConfigError.single({ message: `reset takes one job name or file\n\n${RESET_USAGE}` });
  const job = loadJob(positionals[0]);
  const checkpoint = resolve(job.checkpointLocation);
  if (!existsSync(checkpoint)) {
    io.out(`${job.name} has no checkpoint at ${job.checkpointLocation}: nothing to reset (its next run starts from batch 0)\n`);
    return 0;
  }
  checkDeletable(checkpoint, job.checkpointLocation, projectFolder(resolveJobFile(positionals[0])));
  const { files, bytes, lastCommittedBatch } = summarizeCheckpoint(checkpoint);
  const committed = lastCommittedBatch === undefined ? 'no batch committed' : `batches up to ${lastCommittedBatch} committed`;
  io.out(
    `This deletes ${job.name}'s checkpoint ${job.checkpointLocation} (${files} files, ${formatBytes(bytes)}; ${committed}).\n` +
      'Its next run starts again from batch 0 and reads its source from the start; what its sink already wrote stays.\n',
  );
  if (!values.yes) {
    if (!io.confirm) throw ConfigError.single({ message: 'not deleted: give --yes to delete without a terminal to confirm on' });
    if (!(await io.confirm('Delete it? [y/N] '))) {
      io.out('not deleted\n');
      return 1;
    }
  }
  // Holding the lock proves no query is running on it (else: "in use by another running query (pid N)").
  await CheckpointLock.acquire(checkpoint);
  rmSync(checkpoint, { recursive: true, force: true });
  io.out(`deleted ${job.checkpointLocation}\n`);
  return 0;
}

/**
 * The folder a job's relative checkpoint is relative to (see checkpointLocationOf): its project folder, or the
 * working directory for a job shipped with streamlab run by name from a folder without its own jobs/.
 */
function projectFolder(jobFile: string): string {
  const shipped = dirname(jobFile) === join(PACKAGE_ROOT, 'jobs') && configDir('jobs') !== join(process.cwd(), 'jobs');
  return shipped ? process.cwd() : projectFolderOf(jobFile);
}

/** Only a streamlab checkpoint strictly inside the project folder: a checkpointLocation of '/' or '..' deletes nothing. */
function checkDeletable(checkpoint: string, shown: string, folder: string): void {
  const inside = relative(folder, checkpoint);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw ConfigError.single({
      message: `not deleting ${shown}: it is outside the job's project folder ${folder}; delete it yourself if you mean to`,
    });
  }
  if (!existsSync(join(checkpoint, 'metadata'))) {
    throw ConfigError.single({ message: `not deleting ${shown}: it is not a streamlab checkpoint (it has no metadata file)` });
  }
}

function processIo(): ResetIo {
  const out = (text: string) => process.stdout.write(text);
  if (!process.stdin.isTTY || !process.stdout.isTTY) return { out };
  return {
    out,
    confirm: async (question) => {
      const reader = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return /^y(es)?$/i.test((await reader.question(question)).trim());
      } finally {
        reader.close();
      }
    },
  };
}
