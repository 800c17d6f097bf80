import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { QueryProgress } from '../../src/core/progress.js';
import type { LogEntry } from '../../src/serve/query-record.js';
import { exited, startCli } from '../support/cli.js';
import { call, eventually, serveProject } from './serve-jobs.js';

const TOKEN = 'serve-test-token-42';

describe('streamlab serve: several jobs in one process, the REST API and /metrics', () => {
  let dir: string;
  let child: ChildProcess;
  let output: () => string;
  let base: string;

  before(async () => {
    dir = serveProject();
    ({ child, output } = await startCli(
      ['serve', 'fast', 'slow', 'broken', '--port', '0', '--token', TOKEN],
      dir,
      /UI at http:\/\/127\.0\.0\.1:\d+\//,
    ));
    base = /UI at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output())![1];
  });

  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited(child);
  });

  it('lists every job; a failing job is failed with its error while the others run', async () => {
    await eventually('fast and slow to run batches, broken to fail', async () => {
      const { body } = await call(base, '/api/queries');
      const by = Object.fromEntries(body.queries.map((q: { name: string }) => [q.name, q]));
      return by.fast?.lastBatchId >= 1 && by.slow?.lastBatchId >= 1 && by.broken?.status === 'failed';
    });
    const { body } = await call(base, '/api/queries/broken');
    assert.equal(body.status, 'failed');
    assert.match(body.error, /no-such-folder does not exist/);
    assert.ok(
      body.errors.some((e: LogEntry) => e.level === 'error' && /no-such-folder/.test(e.message)),
      'the error is in the log too',
    );
    assert.equal((await call(base, '/api/queries/fast')).body.status, 'running');
  });

  it('serves a query with its plan, recent progress and one batch by id', async () => {
    const { body } = await call(base, '/api/queries/fast');
    assert.match(body.explain, /== Streaming query 'fast'/);
    assert.ok(body.progress.length >= 2);
    const batch = body.progress[1];
    assert.deepEqual((await call(base, `/api/queries/fast/batches/${batch.batchId}`)).body, batch);
    assert.equal((await call(base, '/api/queries/fast/progress?last=1')).body.progress.length, 1);
    assert.equal((await call(base, '/api/queries/fast/batches/999999')).status, 404);
    const missing = await call(base, '/api/queries/nope');
    assert.equal(missing.status, 404);
    assert.match(missing.body.error, /no query named 'nope' \(known: fast, slow, broken\)/);
  });

  it('refuses start, stop and restart without the token', async () => {
    const refused = await call(base, '/api/queries/slow/stop', { method: 'POST' });
    assert.equal(refused.status, 401);
    const wrong = await call(base, '/api/queries/slow/stop', { method: 'POST', headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    assert.equal((await call(base, '/api/queries/slow')).body.status, 'running');
  });

  it('stops a job gracefully: its last batch is committed and written; the other job runs on', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const stopped = await call(base, '/api/queries/slow/stop', { method: 'POST', headers: auth });
    assert.deepEqual(stopped.body, { name: 'slow', status: 'stopped' });
    const { body } = await call(base, '/api/queries/slow');
    const last = body.progress.at(-1).batchId;
    const commits = readdirSync(join(dir, 'checkpoints/slow/commits')).map(Number);
    assert.equal(Math.max(...commits), last, 'the last batch the API reported is committed');
    const written = readdirSync(join(dir, 'out/slow')).filter((f) => f.endsWith('.jsonl'));
    const rows = written.flatMap((f) =>
      readFileSync(join(dir, 'out/slow', f), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean),
    );
    const reported = body.progress.reduce((n: number, p: QueryProgress) => n + p.sink.numOutputRows, 0);
    assert.equal(rows.length, reported, 'every row the progress reported as written is in the files');
    assert.equal((await call(base, '/api/queries/slow/stop', { method: 'POST', headers: auth })).status, 409);
    assert.equal((await call(base, '/api/queries/fast')).body.status, 'running');
  });

  it('starts and restarts jobs: the failed one again (fails again), the stopped one resumes from its checkpoint', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const before = (await call(base, '/api/queries/slow')).body.progress.at(-1).batchId;
    assert.equal((await call(base, '/api/queries/slow/start', { method: 'POST', headers: auth })).body.status, 'running');
    assert.equal((await call(base, '/api/queries/slow/start', { method: 'POST', headers: auth })).status, 409);
    await eventually('slow to run a batch after its restart', async () => {
      const { body } = await call(base, '/api/queries/slow');
      return body.progress.length > 0;
    });
    const first = (await call(base, '/api/queries/slow')).body.progress[0].batchId;
    assert.equal(first, before + 1, 'the new run goes on at the next batch id');
    await call(base, '/api/queries/broken/restart', { method: 'POST', headers: auth });
    await eventually('broken to fail again', async () => (await call(base, '/api/queries/broken')).body.status === 'failed');
  });

  it('serves /metrics in the Prometheus text format, per query', async () => {
    const { body } = await call(base, '/metrics');
    const families = Object.fromEntries(parsePrometheusTextFormat(body).map((f) => [f.name, f]));
    const sample = (name: string, query: string) => {
      const found = families[name]?.metrics.find((m) => m.labels?.query === query);
      assert.ok(found, `${name}{query="${query}"} is served`);
      return found;
    };
    const served = (await call(base, '/api/queries/fast')).body;
    assert.ok(Number(sample('streamlab_batches_total', 'fast').value) >= served.progress.length);
    assert.ok(Number(sample('streamlab_input_rows_total', 'fast').value) > 0);
    assert.equal(sample('streamlab_query_up', 'fast').value, '1');
    assert.equal(sample('streamlab_query_up', 'broken').value, '0');
    assert.ok(Number(sample('streamlab_errors_total', 'broken').value) >= 2, 'each failed run is counted');
    assert.equal(families.streamlab_batch_duration_seconds.type, 'HISTOGRAM');
    assert.ok(families.process_cpu_user_seconds_total, 'process metrics are there too');
  });

  it('stops every job gracefully on SIGINT and exits 0', async () => {
    child.kill('SIGINT');
    assert.equal(await exited(child), 0);
    assert.match(output(), /SIGINT: stopping every job/);
  });
});
