// The windows timeline: each event-time window the stateful operators held, as a bar from its start to its end on
// the event-time axis, with the watermark of the latest batch. A window is open while it is in the state; it closes
// (append mode emits it, the state evicts it) in the first batch whose watermark is at or past its end.
'use strict';

function windowLifecycles(history) {
  const byKey = new Map();
  for (const { batchId, open } of history) {
    for (const [start, end] of open) {
      const key = `${start}-${end}`;
      const w = byKey.get(key) || { start, end, first: batchId, last: batchId };
      w.last = batchId;
      byKey.set(key, w);
    }
  }
  const latest = history.length ? history.at(-1).batchId : -1;
  return [...byKey.values()].map((w) => ({ ...w, open: w.last === latest })).sort((a, b) => a.start - b.start || a.end - b.end);
}

function drawWindows(el, history, progress) {
  const windows = windowLifecycles(history).slice(-40);
  if (windows.length === 0) {
    el.textContent = 'No window in the state yet.';
    return;
  }
  const last = progress.at(-1);
  const watermark = last && last.eventTime ? Date.parse(last.eventTime.watermark) : undefined;
  const maxSeen = last && last.eventTime && last.eventTime.max ? Date.parse(last.eventTime.max) : undefined;
  const lo = Math.min(...windows.map((w) => w.start));
  const hi = Math.max(...windows.map((w) => w.end), maxSeen || 0);
  const width = Math.max(600, el.clientWidth - 20);
  const left = 90;
  const right = 230;
  const row = 18;
  const height = windows.length * row + 40;
  const x = (t) => left + ((t - lo) / Math.max(1, hi - lo)) * (width - left - right);
  const parts = [`<svg width="${width}" height="${height}" role="img" aria-label="windows timeline">`];
  windows.forEach((w, i) => {
    const y = 10 + i * row;
    const color = w.open ? '#2f6fde' : '#98a2b3';
    const status = w.open ? `open since batch ${w.first}` : `closed in batch ${w.last + 1} (emitted / evicted)`;
    parts.push(`<text x="4" y="${y + 12}">${clockText(w.start)}</text>`);
    parts.push(`<rect x="${x(w.start)}" y="${y}" width="${Math.max(2, x(w.end) - x(w.start) - 1)}" height="${row - 5}" rx="3" fill="${color}"><title>[${new Date(w.start).toISOString()}, ${new Date(w.end).toISOString()}) ${status}</title></rect>`);
    parts.push(`<text x="${width - right + 8}" y="${y + 12}" fill="${color}">${status}</text>`);
  });
  const line = (t, color, label) => {
    if (t === undefined || t < lo || t > hi) return;
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="4" y2="${height - 18}" stroke="${color}" stroke-width="2" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${x(t) + 3}" y="${height - 6}" fill="${color}">${label} ${clockText(t)}</text>`);
  };
  line(watermark, '#c4302b', 'watermark');
  line(maxSeen, '#12b886', 'max event time');
  parts.push('</svg>');
  el.innerHTML = parts.join('');
}
