import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pysparkProgram } from '../../src/cli/pyspark/program.js';
import { loadJob } from '../../src/config/load-job.js';
import { differences, type EngineResult } from './compare.js';
import { knownDifferences, prepareScenarios, type Scenario } from './scenarios.js';
import { runStreamlab } from './streamlab-side.js';

/**
 * `npm run parity`: every scenario of test/parity/scenarios/ run by streamlab (in this process) and by its exported
 * PySpark program on real Spark (one Python process, one Spark session for all), then compared batch by batch:
 * rows and watermark. Exit 0 when every scenario is identical or listed, with its reason, in
 * test/parity/known-differences.yaml; 1 when one differs unlisted, or a listed one no longer differs (the list must
 * stay true). Options: --only a,b (those scenarios), --keep (leave the work folder), --python <exe>.
 */
const root = resolve(import.meta.dirname, '../../..');
const parityDir = join(root, 'test/parity');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, keep: { type: 'boolean' }, python: { type: 'string' } },
  });
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'streamlab-parity-'));
  const scenarios = prepareScenarios(join(parityDir, 'scenarios'), work, values.only?.split(','));
  const ours = new Map<string, EngineResult>();
  for (const scenario of scenarios) {
    // Unchecked: a job streamlab refuses (an output mode it does not support) still goes to Spark, which must refuse it too.
    const job = loadJob(join(scenario.dir, 'job.yaml'), { cwd: scenario.dir, env: {} });
    writeFileSync(join(scenario.dir, 'program.py'), pysparkProgram(job, scenario.dir, false));
    ours.set(scenario.name, await runStreamlab(scenario.dir));
  }
  const streamlabSeconds = (Date.now() - started) / 1000;
  const theirs = runSpark(scenarios, work, values.python ?? process.env.PYTHON ?? 'python3');
  const failures = report(scenarios, ours, theirs, knownDifferences(join(parityDir, 'known-differences.yaml')));
  const total = (Date.now() - started) / 1000;
  console.log(`\n${scenarios.length} scenarios in ${total.toFixed(0)} s (streamlab ${streamlabSeconds.toFixed(1)} s, Spark the rest)`);
  if (values.keep) console.log(`work folder kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
  return failures > 0 ? 1 : 0;
}

function runSpark(scenarios: Scenario[], work: string, python: string): Map<string, EngineResult> {
  const manifest = join(work, 'manifest.json');
  writeFileSync(manifest, JSON.stringify(scenarios.map((s) => ({ name: s.name, dir: s.dir }))));
  const run = spawnSync(python, [join(parityDir, 'spark_runner.py'), manifest], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(
      `the Spark side failed (${python} exited ${run.status}); is pyspark 4.3.0 installed? (pip install pyspark==4.3.0)\n${run.stderr.slice(-2000)}`,
    );
  }
  return new Map(scenarios.map((s) => [s.name, JSON.parse(readFileSync(join(s.dir, 'spark.json'), 'utf8')) as EngineResult]));
}

function report(
  scenarios: Scenario[],
  ours: Map<string, EngineResult>,
  theirs: Map<string, EngineResult>,
  known: Map<string, string>,
): number {
  let failures = 0;
  const counts = { identical: 0, known: 0, differs: 0, stale: 0 };
  for (const { name } of scenarios) {
    const found = differences(ours.get(name)!, theirs.get(name)!);
    const reason = known.get(name);
    if (found.length === 0 && !reason) {
      counts.identical++;
      const refused = bothRefused(ours.get(name)!, theirs.get(name)!);
      console.log(`identical  ${name}${refused ? ` (both refuse it: ${refused})` : ''}`);
    } else if (found.length === 0) {
      counts.stale++;
      failures++;
      console.log(`STALE      ${name}: identical now, remove it from known-differences.yaml`);
    } else {
      if (reason) counts.known++;
      else {
        counts.differs++;
        failures++;
      }
      console.log(`${reason ? 'known     ' : 'DIFFERS   '} ${name}${reason ? ` (${reason})` : ''}`);
      for (const line of found.slice(0, 12)) console.log(`             ${line}`);
      if (found.length > 12) console.log(`             ... and ${found.length - 12} more`);
    }
  }
  console.log(
    `\nidentical ${counts.identical}, known differences ${counts.known}, unlisted differences ${counts.differs}, stale listings ${counts.stale}`,
  );
  return failures;
}

/** Both engines refused the job: what each said, shortened, so that the report shows it is the same refusal. */
function bothRefused(ours: EngineResult, theirs: EngineResult): string | undefined {
  if (!('error' in ours) || !('error' in theirs)) return undefined;
  return `streamlab: ${ours.error.slice(0, 100)} | Spark: ${theirs.error.slice(0, 160)}`;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`parity: ${process.env.STREAMLAB_DEBUG ? (error as Error).stack : (error as Error).message}`);
    process.exit(1);
  },
);
