/**
 * The kafka source's group mode, checked when a job is loaded (no broker needed): a stateful operator after it is
 * refused with the reason and what to do instead, and group takes only subscribe and earliest/latest.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildJob } from '../../src/config/build-job.js';
import { loadJob } from '../../src/config/load-job.js';
import { ConfigError, formatProblem } from '../../src/core/errors.js';
import { makeTempDir } from '../support/temp-dir.js';

function problems(job: string): string[] {
  const cwd = makeTempDir('streamlab-kafka-group-config-');
  mkdirSync(join(cwd, 'jobs'));
  writeFileSync(join(cwd, 'jobs', 'g.yaml'), job);
  try {
    buildJob(loadJob('g', { cwd, env: {} }));
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems.map(formatProblem);
  }
  return [];
}

const source = (extra: string) => `source: { type: kafka, subscribe: words, group: counters${extra} }`;

describe('kafka source with group: what a job may do', () => {
  it('a stateless job loads', () => {
    assert.deepEqual(problems(`name: g\n${source('')}\noperators:\n  - filter: "value IS NOT NULL"\nsink: { type: console }\n`), []);
  });

  it('a groupBy after it is refused at the operator, saying why and what to do', () => {
    const found = problems(
      `name: g\n${source('')}\noperators:\n  - select: ["value as word"]\n  - groupBy: { keys: [word], agg: { n: "count()" } }\nsink: { type: console }\noutputMode: update\n`,
    );
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], /operators\[1\]\.groupBy/);
    assert.match(found[0], /groupBy keeps state between batches: a kafka source with `group` shares the topic's partitions/);
    assert.match(found[0], /Run a stateful job as one process \(remove group/);
  });

  it('dropDuplicates is refused the same way', () => {
    const found = problems(`name: g\n${source('')}\noperators:\n  - dropDuplicates: { columns: [value] }\nsink: { type: console }\n`);
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], /dropDuplicates keeps state between batches/);
  });

  it('group takes subscribe only, and startingOffsets earliest or latest', () => {
    const pattern = problems(`name: g\nsource: { type: kafka, subscribePattern: "w.*", group: c }\nsink: { type: console }\n`);
    assert.match(pattern.join('\n'), /source\.group: group works with subscribe/);
    const json = problems(`name: g\n${source(', startingOffsets: \'{"words":{"0":5}}\'')}\nsink: { type: console }\n`);
    assert.match(json.join('\n'), /source\.startingOffsets: with group, startingOffsets is earliest or latest/);
  });
});
