import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvColumn } from '../../src/benchmark/targets/file-csv.js';

describe('csvColumn (the file target reads one column of the CSV it wrote)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF, blank lines and short records', () => {
    const text = 'a,b,c\r\n"x,1","say ""hi""\nthere",3\n\nshort\n,"",\n"only"';
    assert.deepEqual([...csvColumn(text, 1)], ['b', 'say "hi"\nthere', null, '', null]);
    assert.deepEqual([...csvColumn(text, 2)], ['c', '3', null, '', null]);
    assert.deepEqual([...csvColumn(text, 0)], ['a', 'x,1', 'short', '', 'only']);
  });

  it('refuses a quoted field that is never closed', () => {
    assert.throws(() => [...csvColumn('1,"open\n2,3\n', 1)], /never closed/);
  });
});
