/**
 * `describe`, except that a suite with a `skip` reason is counted by node's runner as skipped.
 *
 * node:test counts a skipped `describe(name, { skip }, fn)` as a suite and never calls `fn`, so none of its
 * tests exists: the run's summary says `skipped 0` while whole suites went untested. Here a skipped suite is
 * registered as one skipped test of the same name and reason instead, so the summary's `skipped N` counts it
 * (one per suite) and the skipped-suites reporter lists it with the server or program it needed.
 *
 *   const mariadb = service('mariadb');
 *   describeOrSkip('mysql sink against MariaDB', { skip: mariadb.skip }, () => { ... });
 *
 * The reporter fails a run in which a plain skipped `describe` remains (scripts/skipped-suites-reporter.ts).
 */
import { describe, it } from 'node:test';

export interface DescribeOrSkipOptions {
  /** false, or why the suite does not run (e.g. `service('mariadb').skip`). */
  skip: string | false;
  timeout?: number;
}

export function describeOrSkip(name: string, options: DescribeOrSkipOptions, fn: () => void): void {
  if (options.skip) {
    it(name, { skip: options.skip }, () => undefined);
    return;
  }
  describe(name, { timeout: options.timeout }, fn);
}
