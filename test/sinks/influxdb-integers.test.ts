import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CollisionCounter } from '../../src/sinks/influxdb/collisions.js';
import { compileLineProtocol, LineError, type LinePlan, nanoDigits } from '../../src/sinks/influxdb/line-protocol.js';
import type { Row } from '../../src/core/row.js';

describe('influxdb line protocol: integer fields are 64-bit', () => {
  const plan: LinePlan = {
    measurement: 'm',
    tags: [],
    fields: [{ name: 'n', kind: 'integer' }],
    time: { column: 't', kind: 'timestamp' },
    precision: 'ms',
  };
  const serialize = compileLineProtocol(plan);
  const line = (row: Row) => serialize(row, 0, new CollisionCounter('append', nanoDigits(plan), 0));

  it('writes the int64 range exactly, as numbers and as bigints (a double past 2^53 prints rounded digits)', () => {
    assert.equal(line({ t: new Date(0), n: -(2 ** 63) }), 'm n=-9223372036854775808i 0');
    assert.equal(line({ t: new Date(0), n: 2 ** 62 }), 'm n=4611686018427387904i 0');
    assert.equal(line({ t: new Date(0), n: 9223372036854775807n }), 'm n=9223372036854775807i 0');
  });

  it('refuses 2^63, one past the largest long, and fractions', () => {
    assert.throws(() => line({ t: new Date(0), n: 2 ** 63 }), LineError);
    assert.throws(() => line({ t: new Date(0), n: 1.5 }), LineError);
  });
});
