/**
 * Summarises a .cpuprofile (node --cpu-prof, or bench/kafka/profile.ts): the functions with the most self time, as a
 * share of all samples, with their file, and the share of (garbage collector), (idle) and (program).
 *
 *   node dist/bench/kafka/profile-summary.js file.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const [file, top = '20'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.js file.cpuprofile [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
for (const id of profile.samples) {
  const frame = byId.get(id)?.callFrame;
  const where = frame?.url ? ` ${frame.url.replace(/^.*\/(node_modules\/|dist\/)/, '$1')}:${frame.lineNumber + 1}` : '';
  const name = `${frame?.functionName || '(anonymous)'}${where}`;
  self.set(name, (self.get(name) ?? 0) + 1);
}
const total = profile.samples.length;
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
process.stdout.write(`${total} samples\n`);
for (const [name, count] of rows) process.stdout.write(`${((count / total) * 100).toFixed(1).padStart(5)}%  ${name}\n`);
