/**
 * The report's tables, plain HTML (they read without JavaScript): the verification of every run and the summary
 * per configuration. Every cell from results is escaped.
 */
import type { BenchResults, BenchRun } from '../results.js';
import { escapeHtml as e, int, num, percent } from './format.js';

/** "sink", or "baseline" with the bulk path's name on a smaller line (escaped). */
function writerCell(run: Pick<BenchRun, 'writer' | 'baseline'>): string {
  return run.writer === 'sink'
    ? '<td class="writer">sink</td>'
    : `<td class="writer">baseline<br><small>${e(run.baseline ?? 'bulk path')}</small></td>`;
}

function verdict(run: BenchRun): string {
  const v = run.verification;
  const why = [v.message, run.error].filter((m) => m !== undefined && m !== '');
  if (v.ok && !run.error) return '<td class="ok">OK</td>';
  return `<td class="failed"><strong>FAILED</strong>${why.map((m) => `<br>${e(m)}`).join('')}</td>`;
}

const failedRuns = (results: BenchResults) => results.runs.filter((r) => !r.verification.ok || r.error);

/** The verdict up front: all verified, or which runs failed and why. */
export function verificationTally(results: BenchResults): string {
  const failed = failedRuns(results);
  if (failed.length === 0) return `<p class="ok">All ${results.runs.length} runs read back exactly what they wrote.</p>`;
  const items = failed.map(
    (r) =>
      `<li><code>${e(r.target)}</code> ${r.writer === 'sink' ? 'sink' : `baseline (${e(r.baseline ?? 'bulk path')})`}, batch ${int(r.batchSize)}, ${e(r.guarantee)}, repeat ${r.repeat + 1}: ${e([r.verification.message, r.error].filter(Boolean).join('; ') || 'read back differs')}</li>`,
  );
  return `<div class="failed"><p><strong>${failed.length} of ${results.runs.length} runs FAILED verification</strong>: their configurations report no throughput in the charts.</p><ul>${items.join('')}</ul></div>`;
}

/** Every run: expected vs read back. */
export function verificationTable(results: BenchResults): string {
  const rows = results.runs.map((r) => {
    const v = r.verification;
    const cls = v.ok && !r.error ? '' : ' class="failed-row"';
    return `<tr${cls}><td>${e(r.target)}</td>${writerCell(r)}<td class="n">${int(r.batchSize)}</td><td class="nowrap">${e(r.guarantee)}</td><td class="n">${r.repeat + 1}</td><td class="n">${int(v.expectedRows)}</td><td class="n">${int(v.rows)}</td><td class="n">${int(v.expectedChecksum)}</td><td class="n">${int(v.checksum)}</td>${verdict(r)}</tr>`;
  });
  return `<table id="verification"><thead><tr><th>target</th><th>writer</th><th>batch</th><th>guarantee</th><th>repeat</th><th>expected rows</th><th>rows read back</th><th>expected checksum</th><th>checksum read back</th><th>result</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

export function summaryTable(results: BenchResults): string {
  const rows = results.summary.map((s) => {
    const base = s.writer === 'baseline' ? results.runs.find((r) => r.writer === 'baseline' && r.target === s.target) : undefined;
    const writer = writerCell(base ?? { writer: 'sink' });
    const spread = `${int(s.rowsPerSecond.median)} <br><span class="spread">${int(s.rowsPerSecond.min)}–${int(s.rowsPerSecond.max)}</span>`;
    const l = s.latencyMs;
    const fresh = s.freshnessMs ? `${num(s.freshnessMs.p50)} / ${num(s.freshnessMs.max)}` : '–';
    const disk = s.diskBytes === null ? '–' : num(s.diskBytes / 1e6);
    const ok = s.verified ? '<td class="ok">yes</td>' : '<td class="failed"><strong>NO</strong></td>';
    return `<tr><td>${e(s.target)}</td>${writer}<td class="n">${int(s.batchSize)}</td><td class="nowrap">${e(s.guarantee)}</td><td class="n">${s.runs}</td><td class="n">${spread}</td><td class="n">${num(s.mbPerSecond.median)}</td><td class="n">${percent(s.ofBaseline)}</td><td class="n">${num(l.p50)} / ${num(l.p95)} / ${num(l.p99)} / ${num(l.max)}</td><td class="n">${fresh}</td><td class="n">${disk}</td>${ok}</tr>`;
  });
  return `<table id="summary"><thead><tr><th>target</th><th>writer</th><th>batch</th><th>guarantee</th><th>runs</th><th>rows/s median<br>min–max</th><th>MB/s</th><th>% of baseline</th><th>batch latency ms p50 / p95 / p99 / max</th><th>freshness ms p50 / max</th><th>disk MB</th><th>verified</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}
