/**
 * The "streamlab: queries" dashboard (grafana/dashboards/streamlab.json) against what /metrics serves: every series a
 * panel or variable queries is one the metrics registry has after a batch, with the labels the panel uses, and
 * every panel reads the provisioned Prometheus data source. (No Prometheus runs here: the PromQL itself is not run.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { parse as parseYaml } from 'yaml';
import { QueryMetrics } from '../../src/serve/metrics.js';
import { QueryHub } from '../../src/serve/query-hub.js';
import { repoRoot } from '../support/cli.js';

interface Dashboard {
  panels: { title: string; datasource: { uid: string }; targets: { expr: string; legendFormat: string }[] }[];
  templating: { list: { definition: string; datasource: { uid: string } }[] };
}

const dashboard = JSON.parse(readFileSync(join(repoRoot, 'grafana/dashboards/streamlab.json'), 'utf8')) as Dashboard;

async function servedFamilies(): Promise<Map<string, Set<string>>> {
  const hub = new QueryHub();
  const metrics = new QueryMetrics(hub);
  const record = hub.register('q');
  record.begin();
  record.setStatus('running');
  record.addLog('warn', 'sink: retry 1/10 in 100 ms (gives up after ~40 s more)');
  record.addLog('error', 'it failed');
  record.addProgress({
    id: 'i',
    runId: 'r',
    name: 'q',
    timestamp: '2024-05-01T12:00:10.000Z',
    batchId: 0,
    batchDuration: 12,
    numInputRows: 10,
    inputRowsPerSecond: 1,
    processedRowsPerSecond: 1,
    durationMs: { latestOffset: 0, getBatch: 0, addBatch: 0, walCommit: 0, commitOffsets: 0, triggerExecution: 12 },
    addBatchMs: { operators: 0, sink: 0 },
    eventTime: { watermark: '2024-05-01T12:00:00.000Z' },
    stateOperators: [
      {
        operatorName: 'stateStoreSave',
        numRowsTotal: 3,
        numRowsUpdated: 3,
        numRowsRemoved: 0,
        numRowsDroppedByWatermark: 2,
        memoryUsedBytes: 100,
        commitTimeMs: 1,
      },
    ],
    sources: [
      {
        description: 's',
        startOffset: null,
        endOffset: 1,
        latestOffset: 1,
        numInputRows: 10,
        inputRowsPerSecond: 1,
        processedRowsPerSecond: 1,
        metrics: { droppedRows: 4, numBadRecords: 1 },
      },
    ],
    sink: { description: 'k', numOutputRows: 8, metrics: { numBadRecords: 1 } },
  });
  // prom-client's own view of its series (the text parser drops a histogram's labels); the text is parsed too, so a
  // family the registry lists but the text lacks would show.
  const inText = new Set(parsePrometheusTextFormat(await metrics.registry.metrics()).map((f) => f.name));
  const families = new Map<string, Set<string>>();
  for (const family of await metrics.registry.getMetricsAsJSON()) {
    if (!inText.has(family.name)) continue;
    for (const value of family.values) {
      const name = (value as { metricName?: string }).metricName ?? family.name;
      const labels = families.get(name) ?? new Set<string>();
      for (const key of Object.keys(value.labels)) labels.add(key);
      families.set(name, labels);
    }
  }
  return families;
}

describe('the streamlab Grafana dashboard', () => {
  it('queries only series that /metrics serves, by labels they carry, through the provisioned data source', async () => {
    const families = await servedFamilies();
    const source = parseYaml(readFileSync(join(repoRoot, 'grafana/provisioning/datasources/prometheus.yaml'), 'utf8'));
    const uid = source.datasources[0].uid;
    const exprs = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: p.title, expr: t.expr, legend: t.legendFormat }))),
      ...dashboard.templating.list.map((v) => ({ where: 'variable', expr: v.definition, legend: '' })),
    ];
    assert.ok(exprs.length >= 10);
    for (const panel of dashboard.panels) assert.equal(panel.datasource.uid, uid, panel.title);
    for (const { where, expr, legend } of exprs) {
      const series = [...expr.matchAll(/\b((?:streamlab|process)_[a-z_]+)/g)].map((m) => m[1]);
      assert.ok(series.length > 0, `${where}: ${expr}`);
      for (const name of series) {
        const labels = families.get(name);
        assert.ok(labels, `${where}: ${name} is not served by /metrics`);
        if (name.startsWith('process_')) continue; // the job label comes from Prometheus' scrape config
        const used = [...`${expr} ${legend}`.matchAll(/\{\{(\w+)\}\}|by \(([\w, ]+)\)/g)].flatMap((m) => (m[1] ?? m[2]).split(/,\s*/));
        for (const label of used.filter((l) => l !== 'le' && l !== 'instance')) {
          assert.ok(labels.has(label), `${where}: ${name} has no label '${label}'`);
        }
      }
    }
  });
});
