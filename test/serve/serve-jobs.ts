/** A project folder with jobs for the serve and UI tests: rate jobs writing JSON Lines files, and one that fails. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../support/temp-dir.js';

export function serveProject(): string {
  const dir = makeTempDir('streamlab-serve-');
  mkdirSync(join(dir, 'jobs'));
  const rateJob = (name: string, rows: number) =>
    [
      `name: ${name}`,
      `source: { type: rate, rowsPerSecond: ${rows} }`,
      'operators:',
      '  - filter: "value % 2 == 0"',
      `sink: { type: file, format: jsonl, path: out/${name} }`,
      'trigger: { processingTime: 200ms }',
      `checkpointLocation: checkpoints/${name}`,
      '',
    ].join('\n');
  writeFileSync(join(dir, 'jobs', 'fast.yaml'), rateJob('fast', 200));
  writeFileSync(join(dir, 'jobs', 'slow.yaml'), rateJob('slow', 20));
  writeFileSync(
    join(dir, 'jobs', 'broken.yaml'),
    [
      'name: broken',
      'source: { type: file, path: no-such-folder, schema: { a: long } }',
      'sink: { type: console }',
      'checkpointLocation: checkpoints/broken',
      '',
    ].join('\n'),
  );
  return dir;
}

/** GET or POST against the served API; the parsed JSON body (typed by the caller) and the status. */
// biome-ignore lint/suspicious/noExplicitAny: each call's body has the shape of its endpoint, checked by the assertions.
export async function call(base: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${path}`, init);
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: type.includes('json') ? await response.json() : await response.text() };
}

/** Polls `check` every 100 ms until it is true or `timeoutMs` passed (then fails, naming `what`). */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
