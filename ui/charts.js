// The charts of one query, drawn with uPlot (served from this process, never from a CDN). Each chart is built from
// the progress objects of the recent batches; x is the time each batch started (seconds, uPlot's time axis).
'use strict';

const COLORS = ['#2f6fde', '#e8590c', '#12b886', '#7048e8', '#f59f00', '#d6336c', '#0b7285', '#868e96'];

/** The phases of a batch, stacked: what Spark's progress calls them, with addBatch split in two (see progress addBatchMs). */
const PHASES = [
  ['latestOffset', (p) => p.durationMs.latestOffset],
  ['WAL write (offsets/N)', (p) => p.durationMs.walCommit - p.durationMs.commitOffsets],
  ['getBatch', (p) => p.durationMs.getBatch],
  ['operators', (p) => (p.addBatchMs ? p.addBatchMs.operators : p.durationMs.addBatch)],
  ['sink + state commit', (p) => (p.addBatchMs ? p.addBatchMs.sink : 0)],
  ['commit log (commits/N)', (p) => p.durationMs.commitOffsets],
];

function timeOf(p) {
  return Date.parse(p.timestamp) / 1000;
}

function clockText(ms) {
  if (ms == null || !Number.isFinite(ms)) return '';
  return new Date(ms).toISOString().slice(11, 19);
}

function makeChart(el, series, options = {}) {
  const opts = {
    width: Math.max(300, el.clientWidth),
    height: 200,
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, ...(options.scales || {}) },
    axes: [{}, { size: 60, ...(options.yAxis || {}) }, ...(options.extraAxes || [])],
    series: [{}, ...series.map((s, i) => ({ stroke: COLORS[i % COLORS.length], width: 1.5, points: { show: false }, ...s }))],
    ...(options.bands ? { bands: options.bands } : {}),
  };
  const data = [[], ...series.map(() => [])];
  const plot = new uPlot(opts, data, el);
  new ResizeObserver(() => plot.setSize({ width: Math.max(300, el.clientWidth), height: 200 })).observe(el);
  return plot;
}

function stacked(el) {
  const series = PHASES.map(([label], i) => ({ label, fill: `${COLORS[i % COLORS.length]}55` }));
  // Each series holds the sum of the phases up to it; the bands fill between neighbours, so the areas stack.
  const bands = PHASES.slice(1).map((_, i) => ({ series: [i + 2, i + 1] }));
  return makeChart(el, series, { bands, yAxis: {} });
}

/** Builds the six charts; `update(progress)` redraws them from the recent batches. */
function createCharts() {
  const rates = makeChart(document.getElementById('chart-rates'), [{ label: 'input rows/s' }, { label: 'processed rows/s' }]);
  const phases = stacked(document.getElementById('chart-phases'));
  const rows = makeChart(document.getElementById('chart-rows'), [
    { label: 'input rows', paths: uPlot.paths.bars({ size: [0.6, 40] }), fill: `${COLORS[0]}88` },
  ]);
  const watermark = makeChart(
    document.getElementById('chart-watermark'),
    [{ label: 'max event time', value: (_u, v) => clockText(v) }, { label: 'watermark', value: (_u, v) => clockText(v) }],
    { yAxis: { size: 70, values: (_u, ticks) => ticks.map(clockText) } },
  );
  let state;
  let stateNames = [];
  const dropped = makeChart(document.getElementById('chart-dropped'), [
    { label: 'late (watermark)', paths: uPlot.paths.bars({ size: [0.4, 20], align: -1 }), fill: `${COLORS[1]}aa` },
    { label: 'buffer full', paths: uPlot.paths.bars({ size: [0.4, 20], align: 1 }), fill: `${COLORS[3]}aa` },
  ]);

  function update(progress) {
    const x = progress.map(timeOf);
    // How many batches each chart holds: for people reading the DOM, and for the browser test.
    for (const el of document.querySelectorAll('.chart')) el.dataset.points = String(x.length);
    rates.setData([x, progress.map((p) => p.inputRowsPerSecond), progress.map((p) => p.processedRowsPerSecond)]);
    let sums = progress.map(() => 0);
    const layers = PHASES.map(([, read]) => {
      sums = sums.map((s, i) => s + Math.max(0, read(progress[i])));
      return sums;
    });
    phases.setData([x, ...layers]);
    rows.setData([x, progress.map((p) => p.numInputRows)]);
    const withTime = progress.some((p) => p.eventTime);
    document.getElementById('fig-watermark').hidden = !withTime;
    if (withTime) {
      watermark.setData([
        x,
        progress.map((p) => (p.eventTime && p.eventTime.max ? Date.parse(p.eventTime.max) : null)),
        // A watermark of 0 (1970-01-01, as Spark reports it before any event time was seen) is not drawn.
        progress.map((p) => (p.eventTime && Date.parse(p.eventTime.watermark) > 0 ? Date.parse(p.eventTime.watermark) : null)),
      ]);
    }
    const names = (progress.at(-1) || { stateOperators: [] }).stateOperators.map((s, i) => `${i}: ${s.operatorName}`);
    document.getElementById('fig-state').hidden = names.length === 0;
    if (names.length > 0) {
      if (!state || names.join() !== stateNames.join()) {
        const el = document.getElementById('chart-state');
        el.textContent = '';
        // Rows on the left axis, the state's estimated memory (KiB) on the right one.
        const series = [
          ...names.map((label) => ({ label: `rows ${label}` })),
          ...names.map((label) => ({ label: `KiB ${label}`, scale: 'kib', dash: [4, 3] })),
        ];
        state = makeChart(el, series, { scales: { kib: {} }, extraAxes: [{ scale: 'kib', side: 1, size: 60, grid: { show: false } }] });
        stateNames = names;
      }
      const of = (i, read) => progress.map((p) => (p.stateOperators[i] ? read(p.stateOperators[i]) : null));
      state.setData([
        x,
        ...names.map((_, i) => of(i, (s) => s.numRowsTotal)),
        ...names.map((_, i) => of(i, (s) => Math.round(s.memoryUsedBytes / 102.4) / 10)),
      ]);
    }
    let previousBufferDrops = 0;
    const buffer = progress.map((p) => {
      const total = (p.sources[0] && p.sources[0].metrics.droppedRows) || 0;
      const grown = Math.max(0, total - previousBufferDrops);
      previousBufferDrops = total;
      return grown;
    });
    dropped.setData([x, progress.map((p) => p.stateOperators.reduce((n, s) => n + s.numRowsDroppedByWatermark, 0)), buffer]);
  }

  return { update };
}
