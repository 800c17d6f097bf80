/**
 * `npm run chaos -- [--kills N] [--outage-seconds S] [--overload-lines N] [--seed S] [--targets file,...] [--scenarios kill,outage,overload]`
 *
 * - kill: for every sink, N seeded SIGKILLs of a running job (at random moments and right after a new offsets
 *   entry), restarts, a Ctrl-C, then a read-back of every value from the real server;
 * - outage: for every server, the server stopped for S seconds in the middle of a run and started again;
 * - overload: a producer far faster than the sink into the socket source, for each onBufferFull policy: batches
 *   keep coming, and every line is delivered once or counted as dropped.
 *
 * Prints a table per scenario (rows expected, found, duplicates, missing, restarts failed) and exits 1 when anything
 * was lost, doubled or failed to restart. `.ci/run` runs it with a small budget; the defaults are the fuller local
 * run. The outage scenario stops the shared servers of `npm run services -- up`: run it when no other tests run.
 *
 * Without --run it does nothing: node's test runner loads every file under dist/test as a test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isCI, type ServiceName, service } from '../support/services.js';
import { emptyTally, type Tally } from './job-process.js';
import { type KillRunResult, killRun } from './kill-run.js';
import { type OutageResult, outageRun } from './outage-run.js';
import { type OverloadResult, overloadRun, POLICIES } from './overload-run.js';
import { printTable } from './table.js';
import { type ChaosTarget, TARGETS } from './targets.js';

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

const skipped: string[] = [];

/** Runs `scenario` for each target in a fresh workspace; a target whose server is missing is skipped locally. */
async function each<R extends Tally>(
  targets: readonly ChaosTarget[],
  scenario: (t: ChaosTarget, cwd: string) => Promise<R>,
  failed: (t: ChaosTarget, f: string) => R,
) {
  const results: R[] = [];
  for (const target of targets) {
    const skip = target.needs ? service(target.needs).skip : false;
    if (skip && !isCI()) {
      skipped.push(`${target.name}: ${skip}`);
      continue;
    }
    const cwd = mkdtempSync(join(tmpdir(), 'streamlab-chaos-'));
    const started = Date.now();
    try {
      results.push(await scenario(target, cwd));
    } catch (error) {
      results.push(failed(target, error instanceof Error ? error.message : String(error)));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
    process.stdout.write(`  ${target.name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  return results;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      run: { type: 'boolean' },
      kills: { type: 'string', default: '15' },
      'outage-seconds': { type: 'string', default: '10' },
      seed: { type: 'string', default: String(Date.now() % 100000) },
      targets: { type: 'string' },
      scenarios: { type: 'string', default: 'kill,outage,overload' },
      'overload-lines': { type: 'string', default: '1000000' },
    },
  });
  const kills = Number(values.kills);
  const seed = Number(values.seed);
  const scenarios = values.scenarios.split(',');
  const names = values.targets?.split(',');
  const unknown = names?.filter((n) => !TARGETS.some((t) => t.name === n)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`unknown target ${unknown.join(', ')} (targets: ${TARGETS.map((t) => t.name).join(', ')})\n`);
    return 2;
  }
  const targets = TARGETS.filter((t) => !names || names.includes(t.name));
  const all: Tally[] = [];
  if (scenarios.includes('kill')) {
    process.stdout.write(`chaos kill: ${kills} kills per sink, seed ${seed} (repeat with --seed ${seed})\n`);
    const random = seeded(seed);
    const results = await each(
      targets,
      (t, cwd) => killRun(t, kills, random, cwd),
      (t, f): KillRunResult => ({ ...emptyTally(t.name), kills: 0, afterOffsets: 0, failures: [f] }),
    );
    printTable('SIGKILL and restart', results, [{ header: 'kills (after offsets)', cell: (r) => `${r.kills} (${r.afterOffsets})` }]);
    all.push(...results);
  }
  if (scenarios.includes('outage')) {
    const outageMs = Number(values['outage-seconds']) * 1000;
    const withServer = targets.filter((t): t is ChaosTarget & { needs: ServiceName } => t.needs !== undefined && t.outage !== false);
    process.stdout.write(`\nchaos outage: each server stopped for ${outageMs / 1000} s mid-run\n`);
    const results = await each(
      withServer,
      (t, cwd) => outageRun(t as ChaosTarget & { needs: ServiceName }, outageMs, cwd),
      (t, f): OutageResult => ({ ...emptyTally(t.name), server: t.needs!, outageSeconds: outageMs / 1000, restarts: 0, failures: [f] }),
    );
    printTable('Server stopped and started mid-run', results, [
      { header: 'server', cell: (r) => r.server },
      { header: 'outage s', cell: (r) => String(r.outageSeconds) },
      { header: 'job restarts needed', cell: (r) => String(r.restarts) },
    ]);
    all.push(...results);
  }
  if (scenarios.includes('overload')) {
    const lines = Number(values['overload-lines']);
    process.stdout.write(`\nchaos overload: ${lines} lines as fast as a producer can write them, into a slow sink\n`);
    const results: OverloadResult[] = [];
    for (const policy of POLICIES) {
      try {
        results.push(await overloadRun(policy, lines));
      } catch (error) {
        const failure = error instanceof Error ? error.message : String(error);
        results.push({ ...emptyTally(`socket, ${policy}`), policy, batches: 0, dropped: 0, failures: [failure] });
      }
    }
    printTable('Producer faster than the sink (socket source, each onBufferFull policy)', results, [
      { header: 'batches', cell: (r) => String(r.batches) },
      { header: 'dropped (counted)', cell: (r) => String(r.dropped) },
    ]);
    all.push(...results);
  }
  for (const t of targets.filter((t) => t.note && all.some((r) => r.target === t.name))) process.stdout.write(`- ${t.name}: ${t.note}\n`);
  for (const s of skipped) process.stdout.write(`skipped ${s}\n`);
  const failed = all.filter((r) => r.failures.length > 0);
  for (const r of failed) process.stdout.write(`\n${r.target} FAILED:\n  ${r.failures.join('\n  ')}\n`);
  process.stdout.write(`\nchaos: ${all.length - failed.length} passed, ${failed.length} failed, ${skipped.length} skipped\n`);
  return failed.length > 0 ? 1 : 0;
}

if (process.argv.includes('--run')) process.exitCode = await main();
