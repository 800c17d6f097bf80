/**
 * Debian's Chromium for browser tests (playwright-core drives it; no browser is downloaded). Same contract as
 * services.ts: missing outside CI, the suite is skipped with the reason (listed last by the skipped-suites
 * reporter, for files named `*-browser.test.ts`); missing with CI=true, reading `executablePath` throws, so the
 * suite fails instead of passing untested. .ci/run installs the package.
 */
import { existsSync } from 'node:fs';
import { isCI } from './services.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, and nothing that would reach the network on its own (updates, sync, first-run pages). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Chromium {
  executablePath: string;
  /** false, or why the suite is skipped: pass it as `describeOrSkip(name, { skip }, ...)`. */
  skip: string | false;
}

/** Debian's Chromium, or the binary STREAMLAB_CHROMIUM names (another build, or a missing path to try the skip). */
export function chromium(): Chromium {
  const path = process.env.STREAMLAB_CHROMIUM || CHROMIUM_PATH;
  if (existsSync(path)) return { executablePath: path, skip: false };
  const message = `Chromium is not installed at ${path}: install Debian's package with \`apt-get install -y chromium\``;
  if (!isCI()) return { executablePath: '', skip: message };
  return {
    skip: false,
    get executablePath(): string {
      throw new Error(`${message} (CI=true: a missing browser is a failure, not a skip)`);
    },
  };
}
