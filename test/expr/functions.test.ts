import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileExpression, FUNCTIONS } from '../../src/core/expr/index.js';
import { castToString } from '../../src/core/expr/values.js';
import { ev, ROW, SCHEMA, typeOf } from './helpers.js';

test('every example in the function table gives its documented result', () => {
  for (const f of FUNCTIONS) {
    const e = compileExpression(f.example, SCHEMA);
    assert.equal(castToString(e.evaluate({}), e.type === 'double'), f.exampleResult, f.example);
  }
});

test('every function is in docs/expressions.md', () => {
  const docs = readFileSync(new URL('../../../docs/expressions.md', import.meta.url), 'utf8');
  for (const f of FUNCTIONS) assert.ok(docs.includes(`\`${f.signature}\``), `${f.signature} missing from docs/expressions.md`);
});

const cases: Record<string, [string, unknown][]> = {
  abs: [
    ['abs(-value)', 7],
    ['abs(-2.5)', 2.5],
  ],
  sin: [
    ['sin(0)', 0],
    ['sin(pi_half)', 1],
  ],
  cos: [['cos(0)', 1]],
  tan: [['tan(0)', 0]],
  sqrt: [
    ['sqrt(16)', 4],
    ['sqrt(x * 2 - 1)', 2],
  ],
  exp: [['exp(1)', Math.E]],
  pow: [
    ['pow(value, 2)', 49],
    ['pow(2, -1)', 0.5],
  ],
  log: [
    ['log(1)', 0],
    ['log(0)', null],
    ['log(-1)', null],
    ['log(2, 8)', 3],
    ['log(-2, 8)', null],
  ],
  log10: [
    ['log10(100)', 2],
    ['log10(0)', null],
  ],
  floor: [
    ['floor(2.7)', 2],
    ['floor(-2.5)', -3],
    ['floor(value)', 7],
  ],
  ceil: [
    ['ceil(2.1)', 3],
    ['ceil(-2.5)', -2],
  ],
  round: [
    ['round(2.5)', 3],
    ['round(-2.5)', -3],
    ['round(1.005, 2)', 1.01],
    ['round(2.345, 2)', 2.35],
    ['round(1250, -2)', 1300],
    ['round(value, 3)', 7],
    ['round(0.4)', 0],
    ['round(x)', 3],
    ['round(123.456, -5)', 0],
    ['round(1e-20, 5)', 0],
  ],
  pmod: [
    ['pmod(-7, 3)', 2],
    ['pmod(7, 3)', 1],
    ['pmod(7, -3)', 1],
    ['pmod(-7, -3)', -1],
    ['pmod(-7.5, 2)', 0.5],
    ['pmod(value, 0)', null],
  ],
  least: [
    ['least(3, 1, 2)', 1],
    ['least(n, 4, 2.5)', 2.5],
    ['least(n, n)', null],
    ["least('b', 'a')", 'a'],
  ],
  greatest: [
    ['greatest(3, 1, 2)', 3],
    ['greatest(value, n, 2)', 7],
  ],
  lower: [
    ['lower(s)', 'hello world'],
    ['lower(value)', '7'],
  ],
  upper: [['upper(s)', 'HELLO WORLD']],
  trim: [
    ["trim('  a  ')", 'a'],
    ["trim('\ta\n')", '\ta\n'],
  ],
  length: [
    ['length(s)', 11],
    ["length('😀a')", 2],
    ['length(value * 10)', 2],
  ],
  size: [
    ['size(arr)', 2],
    ["size(split('', ','))", 1],
  ],
  concat: [
    ["concat(s, '!', value, x, b)", 'Hello World!72.5true'],
    ['concat(value / 7)', '1.0'],
    ['concat(timestamp)', '2024-05-01 12:51:30.123'],
  ],
  substring: [
    ["substring('streamlab', 7)", 'lab'],
    ["substring('streamlab', 0, 3)", 'str'],
    ["substring('streamlab', -3, 2)", 'la'],
    ["substring('streamlab', -20, 13)", 'st'],
    ["substring('abc', 2, -1)", ''],
    ["substring('a😀b', 2, 1)", '😀'],
  ],
  split: [
    ["split(lower(s), ' ')", ['hello', 'world']],
    ["split('a.b', '.')", ['a', 'b']],
    ["split('a|b', '|')", ['a', 'b']],
    ["split('a,', ',')", ['a', '']],
    ["split('ab', '')", ['a', 'b']],
  ],
  coalesce: [
    ['coalesce(n, value)', 7],
    ['coalesce(n, null)', null],
    ['coalesce(value, 1 / 0)', 7],
  ],
  if: [
    ["if(value > 5, 'big', 'small')", 'big'],
    ["if(n > 5, 'big', 'small')", 'small'],
    ['if(b, value, 1 / 0)', 7],
  ],
  isnull: [
    ['isnull(n)', true],
    ['isnull(value)', false],
  ],
  isnotnull: [
    ['isnotnull(n)', false],
    ['isnotnull(s)', true],
  ],
  string: [
    ['string(value)', '7'],
    ['string(x)', '2.5'],
    ['string(x * 2)', '5.0'],
    ['string(1e7 + 0.5)', '1.00000005E7'],
    ['string(0.0001)', '1.0E-4'],
    ['string(b)', 'true'],
    ['string(timestamp_millis(0))', '1970-01-01 00:00:00'],
    ['string(arr)', '[p, q]'],
    ['string(st)', '{1, {deep}}'],
    ['string(n)', null],
  ],
  int: [
    ['int(2.9)', 2],
    ['int(-2.9)', -2],
    ["int(' 12 ')", 12],
    ["int('1.5')", 1],
    ["int('abc')", null],
    ['int(true)', 1],
    ['int(timestamp)', 1714567890],
    ['int(sqrt(-1))', null],
  ],
  double: [
    ["double('2.5')", 2.5],
    ["double('1e3')", 1000],
    ["double('x')", null],
    ["double('-Infinity')", -Infinity],
    ['double(value)', 7],
    ['double(false)', 0],
    ['double(timestamp)', 1714567890.123],
  ],
  named_struct: [
    ["named_struct('v', value, 'none', n)", { v: 7, none: null }],
    ["string(named_struct('a', s, 'b', st))", '{Hello World, {1, {deep}}}'],
  ],
  to_json: [
    [
      "to_json(named_struct('v', value, 'x', x, 's', s, 'b', b, 'n', n, 'at', timestamp))",
      '{"v":7,"x":2.5,"s":"Hello World","b":true,"at":"2024-05-01T12:51:30.123Z"}',
    ],
    ['to_json(st)', '{"a":1,"inner":{"c":"deep"}}'],
    ["to_json(named_struct('q', 'say \"hi\" ✓'))", '{"q":"say \\"hi\\" ✓"}'],
    ['to_json(n)', null],
  ],
  year: [['year(timestamp)', 2024]],
  month: [['month(timestamp)', 5]],
  day: [['day(timestamp)', 1]],
  hour: [['hour(timestamp)', 12]],
  minute: [['minute(timestamp)', 51]],
  second: [['second(timestamp)', 30]],
  unix_timestamp: [
    ['unix_timestamp(timestamp)', 1714567890],
    ['unix_timestamp(timestamp_millis(-1))', -1],
  ],
  timestamp_millis: [
    ['timestamp_millis(1714567890123)', new Date(1714567890123)],
    ['timestamp_millis(1e20)', null],
    ['timestamp_millis(1.9)', new Date(1)],
  ],
  triangle: [
    ['triangle(value, 0, 30, 10)', -0.33333333333333304],
    ['triangle(-1, 0, 30, 10)', -4.333333333333332],
    ['triangle(value, 0, 0, 10)', null],
  ],
};

test('every function: cases', () => {
  const row = { ...ROW };
  const schema = [...SCHEMA, { name: 'pi_half', type: 'double' as const }];
  for (const f of FUNCTIONS) assert.ok(cases[f.name], `no cases for ${f.name}`);
  for (const [name, list] of Object.entries(cases)) {
    for (const [source, expected] of list) {
      const e = compileExpression(source, schema);
      assert.deepEqual(e.evaluate({ ...row, pi_half: Math.PI / 2 }), expected, `${name}: ${source}`);
    }
  }
});

test('strict functions return null for a null argument; function names are case-insensitive', () => {
  for (const f of FUNCTIONS.filter((f) => !f.nullable)) {
    const args: string[] = Array.from({ length: f.minArgs }, (_, i) =>
      i === 0 ? 'n' : f.params[Math.min(i, f.params.length - 1)] === 'string' ? "'a'" : '1',
    );
    const first = f.params[0] === 'timestamp' ? 'timestamp_millis(n)' : f.params[0] === 'array' ? "split(string(n), ',')" : 'n';
    args[0] = first;
    assert.equal(ev(`${f.name}(${args.join(', ')})`), null, f.name);
  }
  assert.equal(ev('UPPER(s)'), 'HELLO WORLD');
  assert.equal(typeOf('Sqrt(4)'), 'double');
});

test('arguments of the wrong kind at run time are null', () => {
  assert.equal(ev('sqrt(j)'), null);
  assert.equal(ev('year(j)'), null);
  assert.equal(ev('size(j)'), null);
  assert.equal(ev('if(j, 1, 2)'), 2);
  assert.equal(ev('lower(j)', { ...ROW, j: 5 }), '5');
  assert.equal(ev('sqrt(j)', { ...ROW, j: 16n }), 4);
});
