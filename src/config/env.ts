import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

export type Env = Record<string, string | undefined>;

/** process.env over the `.env` of the working directory (real variables win, as with dotenv). */
export function loadEnv(cwd = process.cwd()): Env {
  const file = join(cwd, '.env');
  const fromFile = existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Env) : {};
  return { ...fromFile, ...process.env };
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in `text`. `$${` escapes a literal `${`. Returns the names of variables
 * that are unset and have no default, so the caller can report them with their place in the file.
 */
export function interpolate(text: string, env: Env): { value: string; missing: string[] } {
  const missing: string[] = [];
  const parts = text.split('$${');
  const value = parts
    .map((part) =>
      part.replace(REFERENCE, (_m, name: string, fallback: string | undefined) => {
        const set = env[name];
        // Shell rules: `${VAR:-default}` uses the default when VAR is unset or empty; `${VAR}` only needs it set.
        if (fallback !== undefined) return set === undefined || set === '' ? fallback : set;
        if (set !== undefined) return set;
        missing.push(name);
        return '';
      }),
    )
    .join('${');
  return { value, missing };
}
