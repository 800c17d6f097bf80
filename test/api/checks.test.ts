/**
 * A TypeScript query is checked by the job-file builder: the same output-mode rules, column checks and secret
 * redaction, with problems named by the query and the part's path; and it runs to the same rows as its YAML twin.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildJob } from '../../src/config/build-job.js';
import { loadJobValue } from '../../src/config/load-job.js';
import { mapRows } from '../../src/core/operator.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Offset, Row } from '../../src/core/row.js';
import type { Source } from '../../src/core/source.js';
import { ConfigError } from '../../src/core/errors.js';
import { count, memoryTable, readStream, sinks, sources, window } from '../../src/index.js';
import { repoRoot } from '../support/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'streamlab-ts-api-checks-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const lateData = () =>
  sources.file({ path: join(repoRoot, 'data/late-data'), schema: { timestamp: 'timestamp', word: 'string' }, maxFilesPerBatch: 1 });

/** The YAML job of the same query, as a value, with a memory table of its own. */
const yamlValue = (name: string, operators: unknown[], outputMode: string) => ({
  name,
  source: { type: 'file', path: join(repoRoot, 'data/late-data'), schema: { timestamp: 'timestamp', word: 'string' }, maxFilesPerBatch: 1 },
  operators,
  sink: { type: 'memory' },
  outputMode,
  trigger: { availableNow: true },
  checkpointLocation: join(folder, name),
});

function configError(build: () => unknown): ConfigError {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('TypeScript queries get the job-file checks', () => {
  it('withWatermark then groupBy(window(...)) in append mode runs, to the same rows as the YAML job', async () => {
    const query = readStream(lateData())
      .withWatermark('timestamp', '10 minutes')
      .groupBy(window('timestamp', '10 minutes', '5 minutes'), 'word')
      .agg({ count: count() })
      .writeStream({ queryName: 'ts-api-append', checkpointLocation: join(folder, 'ts'), trigger: { availableNow: true } })
      .to(sinks.memory());
    await query.awaitTermination();
    const operators = [
      { withWatermark: { column: 'timestamp', delay: '10 minutes' } },
      { window: { column: 'timestamp', size: '10 minutes', slide: '5 minutes' } },
      { groupBy: { keys: ['window', 'word'], agg: { count: 'count()' } } },
    ];
    const yaml = buildJob(loadJobValue(yamlValue('ts-api-append-yaml', operators, 'append'), 'append.yaml'));
    await new StreamingQuery(yaml.query).run();
    const rows = memoryTable('ts-api-append');
    assert.ok(rows.length >= 3, `only ${rows.length} final windows`);
    assert.deepEqual(rows, memoryTable('ts-api-append-yaml'));
  });

  it("a windowed count in append mode without a watermark is refused with the YAML job's message", () => {
    const ts = configError(() =>
      readStream(lateData())
        .groupBy(window('timestamp', '10 minutes'), 'word')
        .count()
        .writeStream({ queryName: 'no-watermark' })
        .build(sinks.memory()),
    );
    const operators = [
      { window: { column: 'timestamp', size: '10 minutes' } },
      { groupBy: { keys: ['window', 'word'], agg: { count: 'count()' } } },
    ];
    const yaml = configError(() => buildJob(loadJobValue(yamlValue('no-watermark', operators, 'append'), 'no-watermark.yaml')));
    assert.deepEqual(
      ts.problems.map((p) => p.message),
      yaml.problems.map((p) => p.message),
    );
    assert.match(ts.problems[0].message, /watermark/);
    assert.equal(ts.problems[0].file, "query 'no-watermark' (TypeScript)");
    assert.equal(ts.problems[0].line, undefined, 'no line of a YAML text the user never saw');
  });

  it('names the query, the part and the column when a column does not exist', () => {
    const error = configError(() =>
      readStream(sources.rate()).filter('valu % 2 == 0').writeStream({ queryName: 'typo' }).build(sinks.console()),
    );
    assert.match(error.message, /^query 'typo' \(TypeScript\) operators\[0\]\.filter: .*valu/);
  });

  it('checks options against the component schema, all problems at once', () => {
    const error = configError(() =>
      readStream(sources.rate({ rowsPerSecond: -1 }))
        .withWatermark('timestamp', 'ten minutes')
        .writeStream({ queryName: 'options' })
        .build(sinks.console()),
    );
    assert.deepEqual(
      error.problems.map((p) => p.path),
      ['source.rowsPerSecond', 'operators[0].withWatermark.delay'],
    );
  });

  it('never prints a secret: explain shows *** for a password given in code', () => {
    const plan = readStream(sources.sensor())
      .writeStream({ queryName: 'secret' })
      .explain(sinks.mysql({ host: '127.0.0.1', database: 'streamlab', table: 't', password: 'ts-api-s3cret' }));
    assert.match(plan, /password=\*\*\*/);
    assert.doesNotMatch(plan, /ts-api-s3cret/);
  });

  it('code parts go through the same builder: a pipe() operator, a Sink object, a Source object, foreachBatch', async () => {
    const doubled = mapRows((rows) => rows.map((row) => ({ ...row, value: Number(row.value) * 2 })));
    const stream = readStream(sources.rateMicroBatch({ rowsPerBatch: 3 }))
      .pipe(doubled, undefined, 'double value')
      .filter('value % 4 == 0');
    const written: [number, number[]][] = [];
    const sink = {
      description: 'CollectingSink',
      open: async () => {},
      close: async () => {},
      foreachBatch: async (rows: Row[], batchId: number) => {
        written.push([batchId, rows.map((row) => Number(row.value))]);
      },
    };
    const plan = stream.writeStream({ queryName: 'code-parts' }).explain(sinks.console());
    assert.match(plan, /Step 1: double value\n/);
    await stream
      .writeStream({ checkpointLocation: join(folder, 'code-sink'), maxBatches: 2 })
      .start(sink)
      .awaitTermination();
    // rows 0..5 doubled: 0 2 4 | 6 8 10; of those, the multiples of 4.
    assert.deepEqual(written, [
      [0, [0, 4]],
      [1, [8]],
    ]);
    const seen: number[][] = [];
    const own = readStream(new OwnSource())
      .writeStream({ checkpointLocation: join(folder, 'own-source'), maxBatches: 1 })
      .foreachBatch((rows) => {
        seen.push(rows.map((row) => Number(row.value)));
      });
    await own.awaitTermination();
    assert.deepEqual(seen, [[1, 2, 3]]);
  });
});

/** A replayable source of our own: offset 3 at once, rows 1..3. */
class OwnSource implements Source {
  readonly description = 'OwnSource';
  readonly replayable = true;
  readonly schema = [{ name: 'value', type: 'long' as const }];
  async open() {}
  async stop() {}
  latestOffset() {
    return 3;
  }
  getBatch(start: Offset | null, end: Offset) {
    const from = Number(start ?? 0);
    return Array.from({ length: Number(end) - from }, (_, i) => ({ value: from + i + 1 }));
  }
}
