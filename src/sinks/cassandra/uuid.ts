import { createHash } from 'node:crypto';

/**
 * Name-based UUIDs, version 5 (RFC 9562, section 5.5): SHA-1 of a namespace UUID followed by a name, with the
 * version and variant bits set. The same (namespace, name) always gives the same UUID, which is what makes generated
 * ids replay-safe: the course's `uuid.uuid4()` per row gives a replayed batch new ids, hence duplicate rows.
 */

/** streamlab's namespace for row ids: uuidV5(NAMESPACE_URL, 'https://streamlab.dev/cassandra/row-id'), written out (a test recomputes it). */
export const ROW_ID_NAMESPACE = '9c5d17fb-01a1-5dbc-9694-4421b6eeefee';

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

/** The 16 bytes of uuidV5(namespace, name). */
export function uuidV5Bytes(namespace: Buffer, name: string): Buffer {
  const bytes = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10xx (RFC 9562)
  return bytes;
}

export function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function uuidV5(namespace: string, name: string): string {
  return formatUuid(uuidV5Bytes(uuidBytes(namespace), name));
}

/**
 * Row ids of one query: uuidV5(ROW_ID_NAMESPACE, `<queryId>/<batchId>/<row index>`). The query id lives in the
 * checkpoint, so a restarted query replaying batch N gives its rows the ids of the first attempt; another query
 * (another checkpoint) gives different ids.
 */
export class RowIds {
  private readonly namespace = uuidBytes(ROW_ID_NAMESPACE);

  constructor(private readonly queryId: string) {}

  bytes(batchId: number, rowIndex: number): Buffer {
    return uuidV5Bytes(this.namespace, `${this.queryId}/${batchId}/${rowIndex}`);
  }

  id(batchId: number, rowIndex: number): string {
    return formatUuid(this.bytes(batchId, rowIndex));
  }
}
