/**
 * Each Spark verb writes down the operators a job file would list: the plan of a query built with the verb equals the
 * plan of the same job written as a YAML value. And every registered source and sink has its factory, which
 * docs/typescript.md lists.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { camelCase } from '../../src/api/factories.js';
import { formatExplain } from '../../src/cli/explain.js';
import { buildJob } from '../../src/config/build-job.js';
import { loadJobValue } from '../../src/config/load-job.js';
import { type DataStream, avg, count, max, readStream, sessionWindow, sinks, sources, window } from '../../src/index.js';
import { sinks as sinkList, sources as sourceList } from '../../src/registry.js';
import { repoRoot } from '../support/cli.js';

const events = () => readStream(sources.file({ path: 'data/late-data', schema: { timestamp: 'timestamp', word: 'string' } }));
const withoutHeading = (plan: string) => plan.slice(plan.indexOf('\n\n'));

/** Plans of the TypeScript stream and of the YAML job with `operators`, both to the console in `outputMode`. */
function plans(stream: DataStream<object>, operators: unknown[], outputMode: 'append' | 'update' | 'complete') {
  const name = 'verbs';
  const ts = stream.writeStream({ queryName: name, outputMode }).explain(sinks.console());
  const source = { type: 'file', path: 'data/late-data', schema: { timestamp: 'timestamp', word: 'string' } };
  const yaml = formatExplain(buildJob(loadJobValue({ name, source, operators, sink: { type: 'console' }, outputMode }, 'verbs.yaml')));
  return [withoutHeading(ts), withoutHeading(yaml)];
}

const watermark = { withWatermark: { column: 'timestamp', delay: '10 minutes' } };
const cases: [string, () => DataStream<object>, unknown[], 'append' | 'update' | 'complete'][] = [
  [
    'groupBy(window(...)).agg',
    () =>
      events()
        .withWatermark('timestamp', '10 minutes')
        .groupBy(window('timestamp', '10 minutes', '5 minutes'), 'word')
        .agg({ n: count(), last: max('timestamp'), avg: avg('length(word)') }),
    [
      watermark,
      { window: { column: 'timestamp', size: '10 minutes', slide: '5 minutes' } },
      { groupBy: { keys: ['window', 'word'], agg: { n: 'count()', last: 'max(timestamp)', avg: 'avg(length(word))' } } },
    ],
    'append',
  ],
  [
    'groupBy(sessionWindow(...)).count()',
    () => events().withWatermark('timestamp', '10 minutes').groupBy(sessionWindow('timestamp', '5 minutes'), 'word').count(),
    [
      watermark,
      { sessionWindow: { column: 'timestamp', gap: '5 minutes' } },
      { groupBy: { keys: ['session_window', 'word'], agg: { count: 'count()' } } },
    ],
    'append',
  ],
  [
    'dropDuplicates',
    () => events().withWatermark('timestamp', '10 minutes').dropDuplicates('word', 'timestamp'),
    [watermark, { dropDuplicates: { columns: ['word', 'timestamp'] } }],
    'append',
  ],
  [
    'dropDuplicatesWithinWatermark',
    () => events().withWatermark('timestamp', '10 minutes').dropDuplicatesWithinWatermark('word'),
    [watermark, { dropDuplicates: { columns: ['word'], withinWatermark: true } }],
    'append',
  ],
  [
    'join with a static source',
    () =>
      events().join(
        sources.postgres({ profile: 'postgres', table: 'dictionary', schema: { word: 'string', meaning: 'string' } }),
        'word',
        'left',
        { refreshInterval: '1 minute' },
      ),
    [
      {
        join: {
          with: { type: 'postgres', profile: 'postgres', table: 'dictionary', schema: { word: 'string', meaning: 'string' } },
          on: ['word'],
          how: 'left',
          refreshInterval: '1 minute',
        },
      },
    ],
    'append',
  ],
  [
    'select, drop, explode, where',
    () => events().select('word', 'timestamp as t').drop('t').explode("split(word, '')", 'letter').where("letter != 'a'"),
    [
      { select: ['word', 'timestamp as t'] },
      { drop: ['t'] },
      { explode: { expr: "split(word, '')", as: 'letter' } },
      { filter: "letter != 'a'" },
    ],
    'append',
  ],
];

describe('the verbs write what a job file writes', () => {
  for (const [name, stream, operators, mode] of cases) {
    it(name, () => {
      const [ts, yaml] = plans(stream(), operators, mode);
      assert.equal(ts, yaml);
    });
  }

  it('every registered source and sink has a factory, listed in docs/typescript.md', () => {
    const doc = readFileSync(join(repoRoot, 'docs/typescript.md'), 'utf8');
    for (const [kind, list, factories] of [
      ['sources', sourceList, sources],
      ['sinks', sinkList, sinks],
    ] as const) {
      assert.deepEqual(Object.keys(factories).sort(), list.map((d) => camelCase(d.type)).sort());
      for (const d of list)
        assert.ok(doc.includes(`\`${kind}.${camelCase(d.type)}\``), `docs/typescript.md lists ${kind}.${camelCase(d.type)}`);
    }
  });
});
