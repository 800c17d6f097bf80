/**
 * One builder for both front ends: every shipped job (jobs/*.yaml) is built from its file and from its TypeScript
 * twin (job-twins.ts), and the two plans, as `streamlab explain` prints them, are the same line for line (all but the
 * heading, which names the file or the TypeScript query, and the YAML's description).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatExplain } from '../../src/cli/explain.js';
import { buildJob } from '../../src/config/build-job.js';
import { listYaml, loadJob } from '../../src/config/load-job.js';
import { repoRoot } from '../support/cli.js';
import { twins } from './job-twins.js';

const shipped = listYaml(join(repoRoot, 'jobs'));
/** The plan without its heading (the job's name and file, and its description): from the first empty line on. */
const withoutHeading = (plan: string) => plan.slice(plan.indexOf('\n\n'));

describe('every shipped job, built from YAML and from TypeScript', () => {
  it('has a TypeScript twin, and every twin is a shipped job', () => {
    assert.ok(shipped.length >= 30, `found only ${shipped.length} jobs`);
    assert.deepEqual(Object.keys(twins).sort(), shipped);
  });

  for (const name of shipped) {
    it(`${name}: the same plan both ways`, { skip: !twins[name] && 'no twin' }, () => {
      const fromYaml = formatExplain(buildJob(loadJob(name, { cwd: repoRoot })));
      const { writer, sink } = twins[name]();
      const fromTypeScript = writer.explain(sink);
      assert.match(fromTypeScript, new RegExp(`^== Streaming query '${name}' \\(query '${name}' \\(TypeScript\\)\\) ==\\n`));
      assert.equal(withoutHeading(fromTypeScript), withoutHeading(fromYaml));
    });
  }
});
