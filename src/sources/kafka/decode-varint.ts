/**
 * A read position in a buffer of Kafka records, and Kafka's variable-length integers (protobuf's zigzag varints) read
 * from it. One cursor is reused for every record of a fetch: reading allocates nothing.
 */
export class VarintCursor {
  data: Buffer;
  position: number;

  constructor(data: Buffer, position = 0) {
    this.data = data;
    this.position = position;
  }

  /** A zigzag varint of at most 5 bytes (Kafka's varint: lengths, deltas, counts). */
  varint(): number {
    const data = this.data;
    let position = this.position;
    let byte = data[position++];
    let value = byte & 0x7f;
    let shift = 7;
    while (byte & 0x80) {
      if (shift > 28) throw new RangeError(`a varint at byte ${this.position} is longer than 5 bytes`);
      byte = data[position++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
    }
    if (position > data.length) throw new RangeError(`a varint at byte ${this.position} runs past the end of the data`);
    this.position = position;
    return (value >>> 1) ^ -(value & 1);
  }

  /**
   * A zigzag varlong of at most 10 bytes (Kafka's timestamp delta) as a number: exact while |value| <= 2^53, which
   * millisecond timestamps are. Half the unsigned value is summed with multiplications (bit operators stop at 32
   * bits), the sign taken from its low bit, so no intermediate goes past 2^53.
   */
  varlong(): number {
    const data = this.data;
    let position = this.position;
    let byte = data[position++];
    const negative = byte & 1;
    let half = (byte & 0x7f) >>> 1;
    let scale = 64;
    while (byte & 0x80) {
      if (scale > 2 ** 62) throw new RangeError(`a varlong at byte ${this.position} is longer than 10 bytes`);
      byte = data[position++];
      half += (byte & 0x7f) * scale;
      scale *= 128;
    }
    if (position > data.length) throw new RangeError(`a varlong at byte ${this.position} runs past the end of the data`);
    this.position = position;
    return negative ? -half - 1 : half;
  }
}
