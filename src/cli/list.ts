import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configDir, listYaml } from '../config/load-job.js';
import { terminalWidth, wrapText } from './wrap.js';

/** `streamlab list`: each job's name, its description wrapped to the terminal's width and indented under it. */
export function listJobs(cwd = process.cwd(), width = terminalWidth()): string {
  const dir = configDir('jobs', cwd);
  const names = listYaml(dir);
  if (names.length === 0) return `no jobs in ${dir}\n`;
  const lines = names.flatMap((name) => [name, ...wrapText(describe(dir, name), width, '    ')]);
  return `${lines.join('\n')}\n`;
}

function describe(dir: string, name: string): string {
  try {
    const job = parse(readFileSync(join(dir, `${name}.yaml`), 'utf8')) as { description?: unknown };
    return typeof job?.description === 'string' ? job.description : '';
  } catch {
    return '(not valid YAML: run `streamlab validate` on it)';
  }
}
