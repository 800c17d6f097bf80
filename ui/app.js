// The page: the list of queries, the selected query's charts, batches, windows, errors and plan, kept live by one
// Server-Sent Events stream (/api/events). A reload (or a reconnect) fetches the whole state again from the API.
'use strict';

const MAX_BATCHES = 300;
/** At most this often the page redraws: a fast query's batches are folded into one redraw, so the browser (often on
 * the same machine as the query) spends little CPU; Spark's UI refreshes far less often. */
const REDRAW_MS = 1000;
const params = new URLSearchParams(location.search);
const token = params.get('token') || sessionStorage.getItem('streamlab-token') || '';
if (params.get('token')) sessionStorage.setItem('streamlab-token', token);

let queries = [];
let selected = decodeURIComponent(location.hash.slice(1));
let current; // snapshot of the selected query, kept up to date by events
let selectedBatch; // batch id shown in the detail pane, undefined: the latest
let charts;
let redrawPending = false;
let lastRedraw = 0;

async function api(path, init) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const response = await fetch(path, { ...init, headers });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

async function loadQueries() {
  queries = (await api('/api/queries')).queries;
  if (!queries.some((q) => q.name === selected)) selected = queries[0] ? queries[0].name : '';
  renderNav();
  if (selected) await loadSelected();
  document.getElementById('main').hidden = !selected;
  document.getElementById('empty').hidden = Boolean(selected);
}

async function loadSelected() {
  current = await api(`/api/queries/${encodeURIComponent(selected)}`);
  scheduleRedraw();
}

function renderNav() {
  const nav = document.getElementById('queries');
  nav.innerHTML = '';
  for (const q of queries) {
    const a = document.createElement('a');
    a.href = `#${encodeURIComponent(q.name)}`;
    a.className = q.name === selected ? 'selected' : '';
    a.innerHTML = `<span class="dot ${q.status}"></span>`;
    a.append(q.name);
    a.title = q.status;
    nav.append(a);
  }
}

function scheduleRedraw() {
  if (redrawPending) return;
  redrawPending = true;
  const wait = Math.max(0, lastRedraw + REDRAW_MS - Date.now());
  setTimeout(() => {
    requestAnimationFrame(() => {
      redrawPending = false;
      lastRedraw = Date.now();
      render();
    });
  }, wait);
}

function text(id, value) {
  document.getElementById(id).textContent = value;
}

function render() {
  if (!current) return;
  charts = charts || createCharts();
  const progress = current.progress;
  const last = progress.at(-1);
  text('query-name', current.name);
  const status = document.getElementById('status');
  status.textContent = current.status;
  status.className = `status ${current.status}`;
  text('query-meta', [current.id && `id ${current.id}`, current.startedAt && `started ${current.startedAt}`, current.endedAt && `ended ${current.endedAt}`].filter(Boolean).join(' · '));
  const running = current.status === 'running' || current.status === 'starting';
  document.getElementById('stop').disabled = !running;
  document.getElementById('start').hidden = !current.restartable;
  document.getElementById('restart').hidden = !current.restartable;
  document.getElementById('start').disabled = running || current.status === 'stopping';
  document.getElementById('restart').disabled = current.status === 'stopping';
  const error = document.getElementById('error');
  error.hidden = !current.error;
  error.textContent = current.error ? `The query failed: ${current.error}` : '';
  renderCards(last);
  charts.update(progress);
  renderWindows();
  renderBatches(progress);
  renderDetail();
  renderErrors();
  text('plan', current.explain || '(the plan is shown once the query has started)');
}

function renderCards(last) {
  const cards = [
    ['batches', last ? last.batchId + 1 : 0],
    ['input rows/s', last ? last.inputRowsPerSecond : '-'],
    ['processed rows/s', last ? last.processedRowsPerSecond : '-'],
    ['last batch ms', last ? last.batchDuration : '-'],
    ['watermark', last && last.eventTime ? last.eventTime.watermark.replace('T', ' ').replace('.000Z', 'Z') : '-'],
    ['state rows', last ? last.stateOperators.reduce((n, s) => n + s.numRowsTotal, 0) : '-'],
  ];
  document.getElementById('cards').innerHTML = cards
    .map(([label, value]) => `<div class="card"><div class="label">${label}</div><div class="value">${value}</div></div>`)
    .join('');
}

function renderWindows() {
  const windowed = current.windows && current.windows.length > 0;
  document.getElementById('windows-section').hidden = !windowed;
  if (windowed) drawWindows(document.getElementById('windows'), current.windows, current.progress);
}

function renderBatches(progress) {
  const body = document.querySelector('#batches tbody');
  const rows = progress.slice(-100).reverse().map((p) => {
    const late = p.stateOperators.reduce((n, s) => n + s.numRowsDroppedByWatermark, 0);
    const watermark = p.eventTime ? p.eventTime.watermark.slice(11, 19) : '';
    const cls = p.batchId === selectedBatch ? ' class="selected"' : '';
    return `<tr data-batch="${p.batchId}"${cls}><td>${p.batchId}</td><td>${p.timestamp.slice(11, 23)}</td><td>${p.numInputRows}</td><td>${p.sink.numOutputRows}</td><td>${p.batchDuration}</td><td>${watermark}</td><td>${late}</td></tr>`;
  });
  body.innerHTML = rows.join('');
}

function renderDetail() {
  const progress = current.progress;
  const shown = selectedBatch === undefined ? progress.at(-1) : progress.find((p) => p.batchId === selectedBatch);
  text('detail-title', shown ? `Progress of batch ${shown.batchId}${selectedBatch === undefined ? ' (the latest)' : ''}` : 'No batch yet');
  text('detail', shown ? JSON.stringify(shown, null, 2) : '');
}

function renderErrors() {
  const list = document.getElementById('errors');
  list.innerHTML = '';
  if (current.errors.length === 0) {
    list.innerHTML = '<li class="none">none</li>';
    return;
  }
  for (const entry of current.errors.slice().reverse()) {
    const li = document.createElement('li');
    li.className = entry.level;
    li.textContent = `${entry.time.slice(11, 19)} ${entry.level}: ${entry.message}`;
    list.append(li);
  }
}

function onEvent(type, event) {
  const q = queries.find((x) => x.name === event.name);
  if (type === 'status') {
    if (!q) return loadQueries();
    q.status = event.status;
    renderNav();
  }
  if (!current || event.name !== current.name) return;
  if (type === 'status') {
    current.status = event.status;
    if (event.status === 'starting') Object.assign(current, { progress: [], windows: [], errors: [], error: undefined });
    if (event.error) current.error = event.error;
    if (event.status === 'running' && !current.explain) return loadSelected();
  } else if (type === 'progress') {
    current.progress.push(event.progress);
    if (current.progress.length > MAX_BATCHES) current.progress.shift();
    current.id = event.progress.id;
    if (event.windows) {
      current.windows.push(event.windows);
      if (current.windows.length > MAX_BATCHES) current.windows.shift();
    }
  } else if (type === 'log') {
    current.errors.push(event.entry);
  }
  scheduleRedraw();
}

function connect() {
  const status = document.getElementById('connection');
  const source = new EventSource('/api/events');
  source.onopen = () => {
    status.textContent = 'live';
    status.className = 'connection live';
    loadQueries().catch(showFailure);
  };
  source.onerror = () => {
    status.textContent = 'reconnecting';
    status.className = 'connection';
  };
  for (const type of ['progress', 'status', 'log']) source.addEventListener(type, (e) => onEvent(type, JSON.parse(e.data)));
  // The server dropped events this page did not read in time: the state is fetched again, whole.
  source.addEventListener('dropped', () => loadSelected().catch(showFailure));
}

function showFailure(error) {
  const el = document.getElementById('error');
  el.hidden = false;
  el.textContent = String(error.message || error);
}

async function control(action) {
  try {
    await api(`/api/queries/${encodeURIComponent(selected)}/${action}`, { method: 'POST' });
    await loadSelected();
  } catch (error) {
    showFailure(error);
  }
}

for (const action of ['start', 'stop', 'restart']) document.getElementById(action).addEventListener('click', () => control(action));
document.querySelector('#batches tbody').addEventListener('click', (e) => {
  const tr = e.target.closest('tr');
  if (!tr) return;
  const id = Number(tr.dataset.batch);
  selectedBatch = selectedBatch === id ? undefined : id;
  scheduleRedraw();
});
window.addEventListener('hashchange', () => {
  selected = decodeURIComponent(location.hash.slice(1));
  selectedBatch = undefined;
  renderNav();
  loadSelected().catch(showFailure);
});
connect();
