import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configDir, listYaml } from '../config/load-job.js';

/** `streamlab list`: each job with its one-line description. */
export function listJobs(cwd = process.cwd()): string {
  const dir = configDir('jobs', cwd);
  const names = listYaml(dir);
  if (names.length === 0) return `no jobs in ${dir}\n`;
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((name) => {
    let description = '';
    try {
      const job = parse(readFileSync(join(dir, `${name}.yaml`), 'utf8')) as { description?: unknown };
      description = typeof job?.description === 'string' ? job.description : '';
    } catch {
      description = '(not valid YAML: run `streamlab validate` on it)';
    }
    return `${name.padEnd(width)}  ${description}`;
  });
  return `${lines.join('\n')}\n`;
}
