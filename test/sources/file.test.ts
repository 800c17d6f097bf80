import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { asyncScheduler } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import { FileSource } from '../../src/sources/file/index.js';
import { parseCsv } from '../../src/sources/file/csv.js';

const context = { scheduler: asyncScheduler, logger: silentLogger };
const people = [
  { name: 'name', type: 'string' as const },
  { name: 'age', type: 'long' as const },
];

function directory(files: Record<string, string>): string {
  const dir = makeTempDir('streamlab-files-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('file source', () => {
  it('reads JSON Lines files in name order, offset = last file taken, maxFilesPerBatch honoured', async () => {
    const dir = directory({
      'b.json': '{"name":"Andy","age":30}\n',
      'a.json': '{"name":"Michael"}\n{"name":"Justin","age":19}\n',
      '.c.json.tmp': 'not yet',
      'notes.txt': 'ignored',
    });
    const source = new FileSource(dir, 'json', people, false, 1);
    await source.open(context);
    assert.equal(await source.latestOffset(null), 'a.json');
    assert.deepEqual(await source.getBatch(null, 'a.json'), [
      { name: 'Michael', age: null },
      { name: 'Justin', age: 19 },
    ]);
    assert.equal(await source.latestOffset('a.json'), 'b.json');
    assert.deepEqual(await source.getBatch('a.json', 'b.json'), [{ name: 'Andy', age: 30 }]);
    assert.equal(await source.latestOffset('b.json'), 'b.json', 'no new file: the offset does not move');
    writeFileSync(join(dir, 'c.json'), '[{"name":"Zoe","age":"41"}]');
    assert.equal(await source.latestOffset('b.json'), 'c.json');
    assert.deepEqual(await source.getBatch('b.json', 'c.json'), [{ name: 'Zoe', age: 41 }], 'a JSON array file, value coerced to long');
  });

  it('reads CSV with a header by name, without one by position', async () => {
    const withHeader = new FileSource(directory({ 'p.csv': 'age,name\n30,"Andy, Jr."\n,"Say ""hi"""\n' }), 'csv', people, true, undefined);
    await withHeader.open(context);
    assert.deepEqual(await withHeader.getBatch(null, 'p.csv'), [
      { name: 'Andy, Jr.', age: 30 },
      { name: 'Say "hi"', age: null },
    ]);
    const positional = new FileSource(directory({ 'p.csv': 'Andy,30\r\nJustin,19\r\n' }), 'csv', people, false, undefined);
    await positional.open(context);
    assert.deepEqual(await positional.getBatch(null, 'p.csv'), [
      { name: 'Andy', age: 30 },
      { name: 'Justin', age: 19 },
    ]);
  });

  it('a value that does not fit its column names the file, line and column', async () => {
    const dir = directory({ 'x.json': '{"name":"Andy","age":30}\n{"name":"Bob","age":"old"}\n' });
    const source = new FileSource(dir, 'json', people, false, undefined);
    await source.open(context);
    await assert.rejects(source.getBatch(null, 'x.json'), {
      message: `${join(dir, 'x.json')}:2: column 'age': expected a whole number (long), found "old"`,
    });
  });

  it('availableNow fixes the files to those present at the start', async () => {
    const dir = directory({ 'a.json': '{"name":"A"}\n' });
    const source = new FileSource(dir, 'json', people, false, undefined);
    await source.open(context);
    await source.prepareForTriggerAvailableNow();
    writeFileSync(join(dir, 'b.json'), '{"name":"B"}\n');
    assert.equal(await source.latestOffset(null), 'a.json');
    assert.equal(await source.latestOffset('a.json'), 'a.json');
  });

  it('availableNow backlog: files of the start listing done once committed, files written later not counted', async () => {
    const dir = directory({ 'a.json': '{"name":"A"}\n', 'b.json': '{"name":"B"}\n', 'c.json': '{"name":"C"}\n' });
    const source = new FileSource(dir, 'json', people, false, 1);
    await source.open(context);
    assert.equal(source.backlog(null), undefined, 'no target before prepareForTriggerAvailableNow');
    await source.prepareForTriggerAvailableNow();
    writeFileSync(join(dir, 'd.json'), '{"name":"D"}\n');
    assert.deepEqual(
      [null, 'a.json', 'b.json', 'c.json'].map((committed) => source.backlog(committed)),
      [0, 1, 2, 3].map((done) => ({ done, total: 3, unit: 'files' })),
    );
  });

  it('a missing path is a clear error', async () => {
    await assert.rejects(
      new FileSource('/nonexistent/dir', 'json', people, false, undefined).open(context),
      /\/nonexistent\/dir does not exist \(source.path\)/,
    );
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, separators and line breaks inside quotes', () => {
    const records = [...parseCsv('a,"b,c","d ""e"""\n"multi\nline",x\n')];
    assert.deepEqual(records, [
      { fields: ['a', 'b,c', 'd "e"'], line: 1, raw: 'a,"b,c","d ""e"""' },
      { fields: ['multi\nline', 'x'], line: 2, raw: '"multi\nline",x' },
    ]);
  });
});
