/**
 * `.services/env`: one `STREAMLAB_TEST_<NAME>=127.0.0.1:<port>` line per server that is up, rewritten from the
 * process records after every `up` and `down`, so it never lists a server that has been stopped.
 * test/support/services.ts reads it (env vars of the same name override it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { envFile } from './paths.js';

export function writeEnvFile(entries: ReadonlyArray<readonly [key: string, value: string]>): void {
  mkdirSync(dirname(envFile), { recursive: true });
  const lines = [
    '# Written by `npm run services` (scripts/services). Servers that are up, for the integration tests.',
    ...entries.map(([key, value]) => `${key}=${value}`),
  ];
  writeFileSync(envFile, `${lines.join('\n')}\n`);
}
