import { gunzipSync } from 'node:zlib';
import zlib from 'node:zlib';
import { compressionsAlgorithmsByBitmask } from '@platformatic/kafka';
import { RuntimeError } from '../../core/errors.js';

/** Kafka's codec ids (the low 3 bits of a record batch's attributes), by name for messages. */
export const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

/** The header xerial's SnappyOutputStream (Kafka's Java producer) puts before its blocks: 0x82 "SNAPPY" 0x00. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
/** The magic, then a version and a compatible version, int32 each. */
const XERIAL_HEADER = XERIAL_MAGIC.length + 8;

type Inflate = (data: Buffer) => Buffer;

/** zstd: Node's zlib has it from Node 22.15 / 23.8; on older Nodes there is none. */
const zstd = (zlib as unknown as { zstdDecompressSync?: Inflate }).zstdDecompressSync;

/**
 * The uncompressed records of a batch compressed with `codec`. gzip and zstd by Node's zlib; snappy and lz4 (LZ4 frame,
 * as Kafka writes it) by the WebAssembly codecs @platformatic/kafka ships. Snappy comes either raw (librdkafka, most
 * non-Java clients) or in xerial's block framing (the Java producer): both are read, as Java's consumer reads both.
 */
export function decompress(codec: number, data: Buffer, where: string): Buffer {
  try {
    switch (codec) {
      case 1:
        return gunzipSync(data);
      case 2:
        return unsnappy(data);
      case 3:
        return toBuffer(compressionsAlgorithmsByBitmask[3].decompressSync(data));
      case 4:
        if (zstd) return zstd(data);
        throw new RuntimeError(
          `kafka source: ${where} is compressed with zstd, which Node ${process.versions.node} cannot decompress (Node >= 22.15 can): produce with gzip, lz4 or snappy, or run on a newer Node`,
        );
      default:
        throw new RuntimeError(`kafka source: ${where} has an unknown compression codec (attribute bits ${codec}; Kafka knows 0-4)`);
    }
  } catch (error) {
    if (error instanceof RuntimeError) throw error;
    throw new RuntimeError(`kafka source: ${where}: its ${CODEC_NAMES[codec]} data does not decompress (${(error as Error).message})`, {
      cause: error,
    });
  }
}

function unsnappy(data: Buffer): Buffer {
  const raw = (block: Buffer) => toBuffer(compressionsAlgorithmsByBitmask[2].decompressSync(block));
  if (data.length < XERIAL_HEADER || !data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) return raw(data);
  const blocks: Buffer[] = [];
  let position = XERIAL_HEADER;
  while (position + 4 <= data.length) {
    const length = data.readInt32BE(position);
    position += 4;
    if (length < 0 || position + length > data.length) throw new Error(`a snappy block of ${length} bytes overruns the data`);
    blocks.push(raw(data.subarray(position, position + length)));
    position += length;
  }
  return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks);
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
