import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/cli.js';

/**
 * The import rules of docs/architecture.md, checked on the TypeScript sources: the layers form one straight stack
 * (cli/api -> config -> registry -> sources/operators/sinks -> connectors -> component -> core), and a component never
 * imports another component. A failure names the importing file, the imported file and the rule.
 */

const srcRoot = join(repoRoot, 'src');

/** Higher layers may import lower ones (larger numbers), never the reverse. */
const LAYERS: [prefix: string, rank: number][] = [
  ['cli/', 0],
  ['api/', 0],
  ['index.ts', 0],
  ['benchmark/', 0.5],
  ['serve/', 0.5],
  ['config/', 1],
  ['registry.ts', 2],
  ['sources/', 3],
  ['operators/', 3],
  ['sinks/', 3],
  ['connectors/', 4],
  ['component/', 5],
  ['core/', 6],
];

const COMPONENT_RANK = 3;

function layerOf(file: string): { name: string; rank: number } {
  const found = LAYERS.find(([prefix]) => file.startsWith(prefix));
  assert.ok(found, `${file}: in no layer of docs/architecture.md (add its folder to LAYERS and the doc)`);
  return { name: found[0].replace(/\/$/, ''), rank: found[1] };
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of a file, as paths below src/ (`sinks/mysql/sink.ts`). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(srcRoot, file), 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
  return specs.map((spec) => relative(srcRoot, resolve(dirname(join(srcRoot, file)), spec)).replace(/\.js$/, '.ts'));
}

const files = tsFiles(srcRoot).map((f) => relative(srcRoot, f));

/**
 * A component's home: the folder of a sink or source that has one (`sinks/mysql/`), else its own file
 * (`operators/filter.ts`). Files that register no component (`operators/event-time.ts`) are shared helpers.
 */
const componentHomes = files
  .filter((f) => /^(sources|operators|sinks)\//.test(f))
  .filter((f) => /\bdefine(Source|Operator|Sink)\(/.test(readFileSync(join(srcRoot, f), 'utf8')))
  .map((f) => {
    const parts = f.split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}/` : f;
  });

const homeOf = (file: string): string | undefined => componentHomes.find((home) => file === home || file.startsWith(home));

const connectorOf = (file: string): string | undefined => (file.startsWith('connectors/') ? file.split('/')[1] : undefined);

describe('architecture: which way imports go', () => {
  it('finds the components it checks', () => {
    assert.ok(componentHomes.includes('sinks/mysql/'), 'the mysql sink is a component home');
    assert.ok(componentHomes.includes('operators/filter.ts'), 'the filter operator is a component home');
    assert.ok(componentHomes.length >= 25, `found only ${componentHomes.length} components`);
  });

  it('no import runs up the stack (core imports nothing above it, components not config, ...)', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to.rank < from.rank) violations.push(`${file} imports ${target}: ${from.name} may not import ${to.name}`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('no component imports another component', () => {
    const violations: string[] = [];
    for (const file of files.filter((f) => layerOf(f).rank === COMPONENT_RANK)) {
      const home = homeOf(file);
      for (const target of importsOf(file)) {
        const targetHome = homeOf(target);
        if (targetHome && targetHome !== home) {
          violations.push(`${file} imports ${target}: share it through src/connectors/ or src/core/ instead`);
        }
      }
    }
    assert.deepEqual(violations, []);
  });

  it("a connector does not import another service's connector", () => {
    const violations: string[] = [];
    for (const file of files) {
      const own = connectorOf(file);
      if (!own) continue;
      for (const target of importsOf(file)) {
        const other = connectorOf(target);
        if (other && other !== own) violations.push(`${file} imports ${target}`);
      }
    }
    assert.deepEqual(violations, []);
  });
});
