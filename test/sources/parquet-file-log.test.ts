/** The parquet source's file log compacts every tenth entry, as Spark's CompactibleFileStreamLog, and reads back the same. */
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileLog } from '../../src/sources/parquet/file-log.js';
import { makeTempDir } from '../support/temp-dir.js';

/** Entry N adds the files `h<N>-a.parquet` and `h<N>-b.parquet`. */
const filesOf = (n: number) => ['a', 'b'].map((x) => ({ path: `h${n}-${x}.parquet`, mtimeMs: 1000 + n }));
const numeric = (a: string, b: string) => Number.parseInt(a, 10) - Number.parseInt(b, 10);

describe('parquet source file log: compaction', () => {
  it('every tenth entry becomes <N>.compact holding all before it; a restart reads the same files per entry', async () => {
    const dir = join(makeTempDir('streamlab-file-log-'), 'files');
    const log = new FileLog(dir);
    for (let n = 0; n < 25; n++) assert.equal(await log.add(filesOf(n)), n);
    assert.deepEqual(readdirSync(dir).sort(numeric), ['19.compact', '20', '21', '22', '23', '24']);

    const again = new FileLog(dir);
    const all = await again.restore();
    assert.equal(again.currentOffset, 24);
    assert.deepEqual(
      all.map((e) => e.path).sort(),
      Array.from({ length: 25 }, (_, n) => filesOf(n).map((f) => f.path))
        .flat()
        .sort(),
    );
    const between = again.filesBetween(5, 21);
    assert.deepEqual(
      between.map((e) => [e.path, e.batchId, e.timestamp]),
      Array.from({ length: 16 }, (_, k) => filesOf(k + 6).map((f) => [f.path, k + 6, f.mtimeMs])).flat(),
    );
    assert.deepEqual(again.filesBetween(24, 24), []);
  });

  it('entries a compact file already holds (a crash before they were deleted) are ignored, even damaged ones', async () => {
    const dir = join(makeTempDir('streamlab-file-log-'), 'files');
    const log = new FileLog(dir);
    for (let n = 0; n < 12; n++) await log.add(filesOf(n));
    writeFileSync(join(dir, '3'), 'left over by a crash, not a log entry');
    writeFileSync(join(dir, '0.compact'), 'an older compact file, also superseded');
    const again = new FileLog(dir);
    assert.equal((await again.restore()).length, 24);
    assert.deepEqual(
      again.filesBetween(2, 4).map((e) => e.path),
      ['h3-a.parquet', 'h3-b.parquet', 'h4-a.parquet', 'h4-b.parquet'],
    );
    await again.add(filesOf(12));
    assert.equal(again.currentOffset, 12);
  });
});
