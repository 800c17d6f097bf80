import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileExpression } from '../../src/core/expr/index.js';
import { triangle } from '../../src/core/expr/functions.js';
import { pythonMod } from '../../src/core/expr/values.js';

interface Fixture {
  xs: number[];
  phases: number[];
  lengths: number[];
  amplitudes: number[];
  results: number[];
}

/** Generated once by CPython 3 (test/expr/fixtures/triangle.py). */
const fixture = JSON.parse(readFileSync(new URL('../../../test/expr/fixtures/triangle.json', import.meta.url), 'utf8')) as Fixture;

test('triangle() gives exactly the doubles of the Python original over the whole grid', () => {
  const schema = ['x', 'phase', 'length', 'amplitude'].map((name) => ({ name, type: 'double' as const }));
  const expr = compileExpression('triangle(x, phase, length, amplitude)', schema);
  let i = 0;
  for (const x of fixture.xs) {
    for (const phase of fixture.phases) {
      for (const length of fixture.lengths) {
        for (const amplitude of fixture.amplitudes) {
          const expected = fixture.results[i++];
          const where = `triangle(${x}, ${phase}, ${length}, ${amplitude})`;
          // Object.is: stricter than === (tells 0 from -0).
          assert.ok(
            Object.is(triangle(x, phase, length, amplitude), expected),
            `${where}: ${triangle(x, phase, length, amplitude)} != ${expected}`,
          );
          assert.ok(Object.is(expr.evaluate({ x, phase, length, amplitude }), expected), `${where} compiled`);
        }
      }
    }
  }
  assert.equal(i, fixture.results.length);
  assert.ok(i >= 2000);
});

test('constant phase, length and amplitude (the common case) agree with the table', () => {
  const expr = compileExpression('triangle(x, 0, 30, 10)', [{ name: 'x', type: 'long' }]);
  const xi = fixture.xs.length,
    pi = fixture.phases.indexOf(0),
    li = fixture.lengths.indexOf(30),
    ai = fixture.amplitudes.indexOf(10);
  for (let x = 0; x < xi; x++) {
    const expected = fixture.results[((x * fixture.phases.length + pi) * fixture.lengths.length + li) * fixture.amplitudes.length + ai];
    assert.ok(Object.is(expr.evaluate({ x: fixture.xs[x] }), expected), String(fixture.xs[x]));
  }
});

test("pythonMod is CPython's float %: sign of the divisor, signed zeros", () => {
  assert.equal(pythonMod(-7, 3), 2);
  assert.equal(pythonMod(7, -3), -2);
  assert.equal(pythonMod(-7.5, 2), 0.5);
  assert.ok(Object.is(pythonMod(6, -3), -0));
  assert.ok(Object.is(pythonMod(-6, 3), 0));
  assert.equal(pythonMod(-1e-20, 30), 30); // fmod gives -1e-20; + 30 rounds to 30, as in Python
});

test('triangle with length 0 is null (Python raises ZeroDivisionError)', () => {
  assert.equal(triangle(1, 0, 0, 10), null);
});
