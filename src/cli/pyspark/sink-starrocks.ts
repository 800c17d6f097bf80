import type { ComponentConfig } from '../../config/load-job.js';
import { bindColumns } from '../../connectors/mysql/columns.js';
import { dottedPath } from '../../config/yaml-file.js';
import { labelPrefixOf } from '../../sinks/starrocks/label.js';
import type { Translation } from './context.js';
import { py, pyValue } from './python.js';
import { refuse } from './refusal.js';
import { QUERY_ID_FUNCTION } from './sink-common.js';

/**
 * `write_batch` for the starrocks sink: Stream Load over HTTP with Python's standard library, one labelled load per
 * batch (part), the label a pure function of (query, batch, part) as streamlab's (src/sinks/starrocks/label.ts): a
 * replayed batch is answered "Label Already Exists" and loads nothing twice.
 */
export function starrocksSink(sink: ComponentConfig, o: Record<string, unknown>, t: Translation): string[] {
  if (o.mode === 'insert') refuse(sink, 'the starrocks sink in mode insert has no translation yet (mode stream_load has)');
  if (o.create !== undefined)
    refuse(sink, 'the starrocks sink with create has no translation yet: create the table first (docs/starrocks.md)');
  for (const v of ['STARROCKS_FE_HOST', 'STARROCKS_HTTP_PORT', 'STARROCKS_USER', 'STARROCKS_PASSWORD', 'STARROCKS_DATABASE'])
    t.envVars.add(v);
  const bindings = bindColumns(t.sinkSchema, o.columns as Record<string, string> | undefined, {
    file: sink.yaml.file,
    path: dottedPath(sink.path),
  });
  const headers: Record<string, string> = {
    format: o.format as string,
    ...(o.format === 'json' ? { strip_outer_array: 'true' } : {}),
    columns: bindings.map((b) => b.table).join(','),
    max_filter_ratio: String(o.maxFilterRatio),
    timeout: String(o.timeout),
    ...(o.properties as Record<string, string>),
  };
  return [
    'import base64  # noqa: E402',
    'import datetime  # noqa: E402',
    'import hashlib  # noqa: E402',
    'import http.client  # noqa: E402',
    'import json as jsonlib  # noqa: E402',
    'import time  # noqa: E402',
    'import urllib.parse  # noqa: E402',
    '',
    '# The profile config/starrocks.yaml, from the same environment variables (the password is never in this file)',
    `FE = "{}:{}".format(os.environ.get("STARROCKS_FE_HOST", ${py(o.feHost as string)}), os.environ.get("STARROCKS_HTTP_PORT", "${o.httpPort}"))`,
    `DATABASE = os.environ.get("STARROCKS_DATABASE", ${py(o.database as string)})`,
    `TABLE = ${py(o.table as string)}`,
    `SOURCE_COLUMNS = ${pyValue(bindings.map((b) => b.source))}  # input columns, in the order of the table columns below`,
    `TABLE_COLUMNS = ${pyValue(bindings.map((b) => b.table))}`,
    `HEADERS = ${pyValue(headers)}`,
    `LABEL_PREFIX = ${py((o.labelPrefix as string | undefined) ?? labelPrefixOf(t.job.name))}`,
    `MAX_BYTES_PER_LOAD = ${o.maxBytesPerLoad}`,
    '',
    '',
    ...QUERY_ID_FUNCTION,
    '',
    '',
    'def label(batch_id, part):',
    '    """<prefix>-<8 hex of sha256(query id)>-<batch id>-<part>: the same for a replay of the same batch."""',
    '    tag = hashlib.sha256(query_id().encode()).hexdigest()[:8]',
    '    return f"{LABEL_PREFIX}-{tag}-{batch_id}-{part}"',
    '',
    '',
    'def text(value):',
    '    """A value as StarRocks reads it: times as UTC `2026-01-01 00:00:00.050` (no T, no Z)."""',
    '    if isinstance(value, datetime.datetime):',
    '        utc = value.astimezone(datetime.timezone.utc)',
    '        return utc.strftime("%Y-%m-%d %H:%M:%S.") + f"{utc.microsecond // 1000:03d}"',
    '    return value',
    '',
    '',
    'def encode(rows):',
    '    if HEADERS["format"] == "json":',
    '        return jsonlib.dumps([dict(zip(TABLE_COLUMNS, (text(v) for v in row))) for row in rows]).encode()',
    '    lines = ("\\t".join("\\\\N" if v is None else str(text(v)) for v in row) for row in rows)',
    '    return "".join(line + "\\n" for line in lines).encode()',
    '',
    '',
    'def request(method, url, body=None, headers=None):',
    '    """One HTTP request; the FE redirects a load to a backend (307), which gets the same request again."""',
    '    user = os.environ.get("STARROCKS_USER", "root")',
    "    secret = base64.b64encode(f\"{user}:{os.environ.get('STARROCKS_PASSWORD', '')}\".encode()).decode()",
    '    headers = dict(headers or {}, Authorization=f"Basic {secret}")',
    '    for _ in range(3):',
    '        u = urllib.parse.urlsplit(url)',
    '        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=int(HEADERS["timeout"]) + 60)',
    '        try:',
    '            conn.request(method, u.path + (f"?{u.query}" if u.query else ""), body=body, headers=headers)',
    '            answer = conn.getresponse()',
    '            data = answer.read()',
    '        finally:',
    '            conn.close()',
    '        if answer.status in (301, 302, 307, 308):',
    '            url = answer.getheader("Location")',
    '            continue',
    '        if answer.status != 200:',
    '            raise RuntimeError(f"{method} {url}: HTTP {answer.status} {data[:200]!r}")',
    '        return jsonlib.loads(data)',
    '    raise RuntimeError(f"{method} {url}: too many redirects")',
    '',
    '',
    'def load(lbl, body):',
    '    """Loads one body under its label; a label loaded before (a replay) is done, one still open is waited for."""',
    '    url = f"http://{FE}/api/{DATABASE}/{TABLE}/_stream_load"',
    '    result = request("PUT", url, body, dict(HEADERS, label=lbl, Expect="100-continue"))',
    '    status = result.get("Status")',
    '    if status in ("Success", "Publish Timeout"):',
    '        return',
    '    if status != "Label Already Exists":',
    '        raise RuntimeError(f"Stream Load {lbl} into {DATABASE}.{TABLE}: {status}: {result.get(\'Message\')}")',
    '    for _ in range(int(HEADERS["timeout"])):',
    '        state = request("GET", f"http://{FE}/api/{DATABASE}/get_load_state?label={lbl}").get("state")',
    '        if state in ("VISIBLE", "COMMITTED"):',
    '            return  # a replay: loaded by an earlier attempt',
    '        if state == "ABORTED":',
    '            return load(lbl, body)  # an aborted label may be used again',
    '        time.sleep(1)',
    '    raise RuntimeError(f"Stream Load {lbl}: the earlier load under this label is still open")',
    '',
    '',
    'def write_batch(batch_df, batch_id):',
    '    """foreachBatch: one Stream Load per part of at most MAX_BYTES_PER_LOAD, each under its own fixed label."""',
    '    rows = [tuple(row) for row in batch_df.select(*SOURCE_COLUMNS).collect()]',
    '    if not rows:',
    '        return',
    '    rows.sort(key=repr)  # Spark may hand a replay its rows in another order: the same parts get the same labels',
    '    parts, part, size = [], [], 0',
    '    for row in rows:',
    "        row_size = len(encode([row]))  # a row and its separator: the part's body is about the sum",
    '        if part and size + row_size > MAX_BYTES_PER_LOAD:',
    '            parts.append(part)',
    '            part, size = [], 0',
    '        part.append(row)',
    '        size += row_size',
    '    parts.append(part)',
    '    for index, rows_of_part in enumerate(parts):',
    '        load(label(batch_id, index), encode(rows_of_part))',
  ];
}
