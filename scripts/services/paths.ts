/**
 * Where the services keep their state. Data lives in the work tree (`.services/<name>/`, git-ignored) so that
 * each checkout has its own servers; downloads and builds live in a per-user cache that survives between runs
 * and checkouts, which is what makes the second `up` fast.
 */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file runs as dist/scripts/services/paths.js, three levels below it. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Per-checkout state: data dirs, logs, PID records and the env file the tests read. */
export const servicesDir = process.env.STREAMLAB_SERVICES_DIR ?? join(repoRoot, '.services');

/** Per-user cache: Maven jars, the Go module and build caches, built binaries. */
export const cacheDir = process.env.STREAMLAB_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'streamlab');

/** The file tests read (`STREAMLAB_TEST_<NAME>=host:port`, one line per server that is up). */
export const envFile = join(servicesDir, 'env');

/** Install steps (apt, Maven, Go) write their output here, so the terminal stays readable; shown on failure. */
export const installLog = join(servicesDir, 'install.log');

export function serviceDir(name: string): string {
  return join(servicesDir, name);
}
