/** The page's stylesheet: readable on screen and in print, no web fonts (the file works offline). */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --ok: #1e7b45; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f7fa; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; min-height: 100vh; }
h1 { font-size: 26px; margin: 0 0 12px; }
h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f0f4f8; padding: 0 3px; border-radius: 3px; }
.banner { background: #fef3f2; border: 2px solid var(--bad); color: var(--bad); padding: 10px 14px; border-radius: 6px; }
figure { margin: 18px 0 28px; }
.chart { width: 100%; height: 480px; border: 1px solid var(--line); border-radius: 6px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f0f4f8; font-weight: 600; position: sticky; top: 0; }
td.n, .nowrap { text-align: right; white-space: nowrap; }
.nowrap { text-align: left; }
td.writer { min-width: 9em; }
td.writer small { color: var(--muted); font-size: 12px; }
div.failed { border-left: 4px solid var(--bad); padding: 2px 14px; background: #fef3f2; }
.spread { color: var(--muted); font-size: 12px; }
.ok { color: var(--ok); font-weight: 600; }
.failed, .failed strong { color: var(--bad); }
tr.failed-row td { background: #fef3f2; }
noscript p { color: var(--muted); }
@media print { body { background: #fff; } main { padding: 0; } .chart { break-inside: avoid; } }
`;
