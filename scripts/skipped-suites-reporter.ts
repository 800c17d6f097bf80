/**
 * A node:test reporter that prints, after everything else, every test and suite that was skipped and why
 * (usually: its server, pyarrow or Chromium is missing). It runs beside `spec` (see scripts/run-tests.ts), so
 * node's own summary stays as it is; this adds a loud block below it whose count is node's `skipped N`.
 *
 * A skipped test or suite arrives as a `test:pass` event whose `skip` is set. node counts a skipped test in
 * `skipped`, but a skipped `describe` only as a suite (its tests never exist), so a footer that listed those
 * would not match the summary. Suites are therefore skipped with describeOrSkip (test/support/describe-or-skip.ts),
 * which registers one skipped test in their place; a plain skipped `describe` that remains fails the run.
 */
import { relative } from 'node:path';

interface TestEvent {
  type: string;
  data?: { name?: string; file?: string; skip?: string | boolean; details?: { type?: string } };
}

interface Skipped {
  name: string;
  file: string;
  reason: string;
}

function skippedOf(event: TestEvent): Skipped | undefined {
  const data = event.data;
  if (event.type !== 'test:pass' || !data?.skip) return undefined;
  const file = data.file ? relative(process.cwd(), data.file) : '?';
  return { name: data.name ?? file, file, reason: typeof data.skip === 'string' ? data.skip : 'skipped' };
}

/** Without the file: node takes it from the caller of `it`, which for describeOrSkip is the helper's own file. */
function line(s: Skipped): string {
  return `!!   - ${s.name}: ${s.reason}`;
}

/** A plain `describe` is called from the test file itself: its file helps to find it. */
function lineWithFile(s: Skipped): string {
  return `!!   - ${s.name} (${s.file}): ${s.reason}`;
}

export default async function* skippedSuitesReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const tests: Skipped[] = [];
  const suites: Skipped[] = [];
  for await (const event of source) {
    const skipped = skippedOf(event);
    if (skipped) (event.data?.details?.type === 'suite' ? suites : tests).push(skipped);
  }
  const out: string[] = [];
  if (tests.length > 0) {
    out.push(
      '',
      `!! ${tests.length} SKIPPED (node's "skipped ${tests.length}" above): these did not run, each with what it needed`,
      ...tests.map(line),
      '!! start servers with `npm run services -- up` (see docs/servers.md); install Chromium with `apt-get install -y chromium`',
      '!! and pyarrow with `pip install pyarrow`; under CI=true a missing server or program is a failure, not a skip',
    );
  }
  if (suites.length > 0) {
    process.exitCode = 1;
    out.push(
      '',
      `!! ${suites.length} SUITE(S) SKIPPED WITH describe(name, { skip }): node counts none of their tests as skipped,`,
      '!! so the summary above hides them. Skip a suite with describeOrSkip (test/support/describe-or-skip.ts):',
      ...suites.map(lineWithFile),
    );
  }
  if (out.length > 0) yield `${out.join('\n')}\n\n`;
}
