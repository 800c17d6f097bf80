import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { loadJobValue, loadSinkConnection } from '../../src/config/load-job.js';
import { ConfigError, formatProblem } from '../../src/core/errors.js';

function workspace(profiles: Record<string, string>): string {
  const cwd = makeTempDir('streamlab-config-value-');
  mkdirSync(join(cwd, 'config'));
  for (const [name, text] of Object.entries(profiles)) writeFileSync(join(cwd, 'config', `${name}.yaml`), text);
  return cwd;
}

const mysqlProfile = 'type: mysql\nhost: 127.0.0.1\nport: "${MYSQL_PORT:-3306}"\ndatabase: streamlab\n';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems.map(formatProblem);
  }
  assert.fail('expected a ConfigError');
}

describe('loadSinkConnection (a bench target connects with it)', () => {
  it('merges the profile with ${VAR} from env, applies defaults, and lets the per-run table be missing', () => {
    const cwd = workspace({ mysql: mysqlProfile });
    const sink = loadSinkConnection({ type: 'mysql', profile: 'mysql', batchSize: 500 }, "bench target 'mysql'", {
      cwd,
      env: { MYSQL_PORT: '3307' },
    });
    assert.equal(sink.definition.type, 'mysql');
    const options = sink.options as Record<string, unknown>;
    assert.equal(options.port, 3307, 'the profile variable, as a number');
    assert.equal(options.database, 'streamlab');
    assert.equal(options.batchSize, 500, "the bench's option over the profile");
    assert.equal(options.user, 'root', 'schema default');
    assert.equal(options.table, undefined);
  });

  it('names the bench target, the dotted path, and the profile file a bad value came from', () => {
    const cwd = workspace({ mysql: mysqlProfile });
    const found = problemsOf(() =>
      loadSinkConnection({ type: 'mysql', profile: 'mysql', bachSize: 1 }, "bench target 'mysql'", { cwd, env: { MYSQL_PORT: 'x' } }),
    );
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found.join('\n'), /^bench target 'mysql':\d+:\d+ sink\.bachSize: unknown key 'bachSize'/m);
    assert.match(found.join('\n'), /^config\/mysql\.yaml:3:\d+ port: /m);
  });
});

describe('loadJobValue (a bench run is a job built in memory)', () => {
  const job = (sink: Record<string, unknown>) => ({
    name: 'bench-run',
    source: { type: 'rate-micro-batch', rowsPerBatch: 10 },
    sink,
    trigger: { availableNow: true },
    maxRowsPerBatch: 5,
    checkpointLocation: join(tmpdir(), 'streamlab-bench-checkpoint'),
  });

  it('is checked exactly as a job file, the checkpoint where it was put', () => {
    const cwd = workspace({});
    const loaded = loadJobValue(job({ type: 'memory', queryName: 'literal_${NOT_EXPANDED}' }), 'bench target memory', { cwd, env: {} });
    assert.equal(loaded.sink.definition.type, 'memory');
    assert.deepEqual(loaded.sink.options, { queryName: 'literal_${NOT_EXPANDED}' }, 'a value built in memory is not interpolated again');
    assert.deepEqual(loaded.trigger, { kind: 'availableNow' });
    assert.equal(loaded.maxRowsPerBatch, 5);
    assert.equal(loaded.checkpointLocation, join(tmpdir(), 'streamlab-bench-checkpoint'));
  });

  it('refuses what the sink requires when it is missing, naming the option', () => {
    const cwd = workspace({});
    const found = problemsOf(() => loadJobValue(job({ type: 'mysql', database: 'streamlab' }), "bench target 'mysql'", { cwd, env: {} }));
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], /^bench target 'mysql':\d+:\d+ sink\.table: /);
  });
});
