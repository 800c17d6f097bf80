/**
 * The record decoder's varints (src/sources/kafka/decode-varint.ts): Kafka's zigzag varint (int32) against
 * @platformatic/kafka's encoder, and varlong (int64, read as a number, exact up to 2^53) against the encoding written
 * out from the protocol's definition in BigInt (the client's appendVarInt64 of 1.35 is wrong above 2^31: it writes
 * 2^32 as the single byte 0x02); values at the lengths' edges, and bytes that end inside a varint, which must be an
 * error, not a silent 0.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writer } from '@platformatic/kafka';
import { VarintCursor } from '../../src/sources/kafka/decode-varint.js';

const INTS = [0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, 1 << 20, -(1 << 20), 2 ** 31 - 1, -(2 ** 31)];
/** Kafka's varlong (ByteUtils.writeVarlong): zigzag, then 7 bits a byte, low bits first. */
function varlong(n: bigint): Buffer {
  let zigzag = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
  const bytes: number[] = [];
  while (zigzag >= 0x80n) {
    bytes.push(Number(zigzag & 0x7fn) | 0x80);
    zigzag >>= 7n;
  }
  bytes.push(Number(zigzag));
  return Buffer.from(bytes);
}

const LONGS = [...INTS, 2 ** 32, -(2 ** 32), 1_700_000_000_000, -1_700_000_000_000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];

describe('kafka source: varints of the record decoder', () => {
  it('reads every varint the client writes, one after the other', () => {
    const writer = Writer.create();
    for (const n of INTS) writer.appendVarInt(n);
    const cursor = new VarintCursor(writer.buffer);
    assert.deepEqual(
      INTS.map(() => cursor.varint()),
      INTS,
    );
    assert.equal(cursor.position, writer.buffer.length);
  });

  it('reads every varlong as Kafka writes it, up to 2^53 either way', () => {
    const bytes = Buffer.concat(LONGS.map((n) => varlong(BigInt(n))));
    const cursor = new VarintCursor(bytes);
    assert.deepEqual(
      LONGS.map(() => cursor.varlong()),
      LONGS,
    );
    assert.equal(cursor.position, bytes.length);
  });

  it('refuses a varint cut by the end of the bytes, or longer than 5 bytes', () => {
    const cut = Writer.create().appendVarInt(2 ** 30).buffer;
    assert.throws(() => new VarintCursor(cut.subarray(0, cut.length - 1)).varint(), /varint at byte 0 runs past the end/);
    assert.throws(() => new VarintCursor(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).varint(), /longer than 5 bytes/);
    const long = varlong(2n ** 40n);
    assert.throws(() => new VarintCursor(long.subarray(0, long.length - 1)).varlong(), /varlong at byte 0 runs past the end/);
  });
});
