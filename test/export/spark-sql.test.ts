import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sparkInterval } from '../../src/cli/pyspark/python.js';
import { toSparkSql } from '../../src/cli/pyspark/spark-sql.js';

describe('expressions as Spark SQL', () => {
  it('prints every operation in parentheses with Spark SQL operators and typed literals', () => {
    assert.equal(toSparkSql('value % 2 == 0'), '((value % 2L) == 0L)');
    assert.equal(toSparkSql("age >= 18 and name != 'Andy' || !ok"), "(((age >= 18L) AND (name != 'Andy')) OR (NOT ok))");
    assert.equal(toSparkSql('x * 2.5'), '(x * 2.5D)');
    assert.equal(toSparkSql('n is not null and k not in (1, null)'), '((n IS NOT NULL) AND (k NOT IN (1L, NULL)))');
    assert.equal(toSparkSql('a <=> b'), '(a <=> b)');
  });

  it('quotes names and strings as Spark SQL reads them', () => {
    assert.equal(toSparkSql('`odd name` + `in`'), '(`odd name` + `in`)');
    assert.equal(toSparkSql("concat(s, 'it\\'s\\n')"), "concat(s, 'it\\'s\\n')");
    assert.equal(toSparkSql('payload.device.id'), 'payload.device.id');
  });

  it("quotes split's separator, a literal here and a regular expression in Spark", () => {
    assert.equal(toSparkSql("split(line, ' ')"), "split(line, ' ')");
    assert.equal(toSparkSql("split(line, '.|')"), "split(line, '\\\\.\\\\|')");
    assert.throws(() => toSparkSql('split(line, sep)'), /not a string literal/);
  });

  it('writes out the casts and the triangle wave', () => {
    assert.equal(toSparkSql('int(x)'), 'CAST(x AS INT)');
    assert.equal(toSparkSql('string(x)'), 'CAST(x AS STRING)');
    assert.match(toSparkSql('triangle(value, 0, 30, 10)'), /abs\(pmod\(value \+ 0L, 30L\) - 30L \/ 2\)/);
  });

  it('durations as Spark interval text, in the largest exact unit', () => {
    assert.equal(sparkInterval(600_000), '10 minutes');
    assert.equal(sparkInterval(1000), '1 second');
    assert.equal(sparkInterval(1500), '1500 milliseconds');
    assert.equal(sparkInterval(7_200_000), '2 hours');
  });
});
