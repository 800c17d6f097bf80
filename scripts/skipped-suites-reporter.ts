/**
 * A node:test reporter that prints, after everything else, which integration suites were skipped and why
 * (usually: their server is not running). It runs beside `spec` (see the `test` script in package.json), so
 * node's own summary lines stay as they are; this only adds a loud block below them when something was skipped.
 *
 * A skipped test or suite arrives as a `test:pass` event whose `skip` is set; only those under an
 * `integration/` directory and browser suites (`*-browser.test.*`, which skip without Chromium) are listed,
 * since skipping them means a real server or browser went untested.
 */
import { sep } from 'node:path';

interface TestEvent {
  type: string;
  data?: { name?: string; file?: string; skip?: string | boolean; nesting?: number };
}

/** A suite that tests a real server (integration/) or a real browser (`*-browser.test.js`). */
function needsOutsideProgram(file: string | undefined): file is string {
  return file !== undefined && (file.includes(`${sep}integration${sep}`) || /-browser\.test\.[jt]s$/.test(file));
}

export default async function* skippedSuitesReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const skipped = new Map<string, string>();
  for await (const event of source) {
    const data = event.data;
    if (event.type !== 'test:pass' || !data?.skip || !needsOutsideProgram(data.file)) continue;
    const reason = typeof data.skip === 'string' ? data.skip : 'skipped';
    skipped.set(data.name ?? data.file, reason);
  }
  if (skipped.size === 0) return;
  const lines = [...skipped].map(([name, reason]) => `!!   - ${name}: ${reason}`);
  yield [
    '',
    `!! ${skipped.size} INTEGRATION SUITE(S) SKIPPED: their real server or browser was not tested (CI=true makes this a failure)`,
    ...lines,
    '!! start servers with `npm run services -- up` (see docs/servers.md); install Chromium with `apt-get install -y chromium`',
    '',
  ].join('\n');
}
