/**
 * `npm run bench -- <name>`: runs bench/<name>.ts (e.g. influxdb, cassandra, mysql, starrocks, parquet-writers).
 * Each benchmark measures streamlab against a baseline in the same run and prints ratios of medians.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.js') && !['main.js', 'stats.js'].includes(f))
  .map((f) => f.slice(0, -3));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <name> [args]\nbenchmarks: ${available.join(', ')}\n`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(`./${name}.js`);
