/**
 * `npm run chaos -- [--kills N] [--seed S] [--targets file,mysql,...]`: for every sink, N seeded SIGKILLs of a
 * running job (at random moments and right after a new offsets entry), restarts, a Ctrl-C, then a read-back of every
 * value from the real server. Prints a table (kills, rows expected, found, duplicates, missing, restarts failed) and
 * exits 1 when anything was lost, doubled or failed to restart. `.ci/run` runs it with a small budget
 * (`--kills 3`); the default is the fuller local run.
 *
 * Without --run it does nothing: node's test runner loads every file under dist/test as a test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isCI, service } from '../support/services.js';
import { emptyTally } from './job-process.js';
import { type KillRunResult, killRun } from './kill-run.js';
import { printTable } from './table.js';
import { TARGETS } from './targets.js';

/** mulberry32: a small seeded generator, so a failing run can be repeated with its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      run: { type: 'boolean' },
      kills: { type: 'string', default: '15' },
      seed: { type: 'string', default: String(Date.now() % 100000) },
      targets: { type: 'string' },
    },
  });
  const kills = Number(values.kills);
  const seed = Number(values.seed);
  const names = values.targets?.split(',');
  const unknown = names?.filter((n) => !TARGETS.some((t) => t.name === n)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`unknown target ${unknown.join(', ')} (targets: ${TARGETS.map((t) => t.name).join(', ')})\n`);
    return 2;
  }
  process.stdout.write(`chaos: ${kills} kills per sink, seed ${seed} (repeat with --seed ${seed})\n`);
  const random = seeded(seed);
  const results: KillRunResult[] = [];
  const skipped: string[] = [];
  for (const target of TARGETS.filter((t) => !names || names.includes(t.name))) {
    const skip = target.needs ? service(target.needs).skip : false;
    if (skip && !isCI()) {
      skipped.push(`${target.name}: ${skip}`);
      continue;
    }
    const cwd = mkdtempSync(join(tmpdir(), 'streamlab-chaos-'));
    const started = Date.now();
    try {
      results.push(await killRun(target, kills, random, cwd));
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      results.push({ ...emptyTally(target.name), kills: 0, afterOffsets: 0, failures: [failure] });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
    process.stdout.write(`  ${target.name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  printTable(results, TARGETS);
  for (const s of skipped) process.stdout.write(`skipped ${s}\n`);
  const failed = results.filter((r) => r.failures.length > 0);
  for (const r of failed) process.stdout.write(`\n${r.target} FAILED:\n  ${r.failures.join('\n  ')}\n`);
  return failed.length > 0 ? 1 : 0;
}

if (process.argv.includes('--run')) process.exitCode = await main();
