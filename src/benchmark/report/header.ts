/**
 * The top of the page: what was measured, on what, when; the PARTIAL banner; the servers with their notes (e.g.
 * that StarRocks was the protocol-faithful test peer, not a real StarRocks).
 */
import type { BenchResults } from '../results.js';
import { bytes, escapeHtml as e, int } from './format.js';

function duration(results: BenchResults): string {
  const seconds = (Date.parse(results.finishedAt) - Date.parse(results.startedAt)) / 1000;
  if (!Number.isFinite(seconds)) return '';
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`;
}

function definitionList(items: [string, string][]): string {
  return `<dl>${items.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

export function header(results: BenchResults): string {
  const c = results.config;
  const m = results.machine;
  const title = c.name ? `streamlab bench: ${e(c.name)}` : 'streamlab bench';
  const banner = results.partial
    ? '<p class="banner" role="alert"><strong>PARTIAL</strong>: the bench was interrupted or a run failed; not every configuration ran. What was measured is shown.</p>'
    : '';
  const targets = c.targets
    .map(
      (t) =>
        `<li><code>${e(t.target)}</code> (sink <code>${e(t.sink)}</code>${Object.keys(t.options).length > 0 ? `, options <code>${e(JSON.stringify(t.options))}</code>` : ''})</li>`,
    )
    .join('');
  return `<header>
<h1>${title}</h1>
${banner}
${definitionList([
  ['Date', `${e(results.startedAt)} → ${e(results.finishedAt)} (${duration(results)})`],
  [
    'Machine',
    `${e(m.cpu)}, ${m.cores} logical / ${m.physicalCores} physical cores, ${bytes(m.memoryBytes)} memory, ${e(m.os)}, ${e(m.arch)}`,
  ],
  ['Versions', `streamlab ${e(results.versions.streamlab)}, Node ${e(results.versions.node)}`],
  ['Workload', `<code>${e(c.workload.name)}</code>, scale ${int(c.workload.scale)}`],
  ['Rows per run', `${int(c.rows)} measured, after one warm-up batch that is not counted`],
  ['Batch sizes', c.batchSizes.map(int).join(', ')],
  ['Repeats', `${c.repeat} (the order of targets rotated between repeats)`],
  ['Guarantees', c.guarantees.map(e).join(', ')],
  ['Baselines', c.baselines ? "on: each server's own bulk path on the same rows" : 'off'],
])}
<h2 id="targets">Targets</h2>
<ul>${targets}</ul>
</header>`;
}

export function serverNotes(results: BenchResults): string {
  if (results.servers.length === 0) return '';
  const rows = results.servers.map(
    (s) =>
      `<tr><td>${e(s.sink)}</td><td>${s.version === null ? '–' : e(s.version)}</td><td>${s.address === null ? '–' : `<code>${e(s.address)}</code>`}</td><td>${s.note === undefined ? '' : e(s.note)}</td></tr>`,
  );
  return `<table id="servers"><thead><tr><th>sink</th><th>server version</th><th>address</th><th>note</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}
