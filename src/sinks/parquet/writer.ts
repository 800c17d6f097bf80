import type { Row } from '../../core/row.js';
import type { Column } from '../../core/schema.js';
import { columnValues, type ColumnArray, type EncodeOptions } from './encode.js';

type Arrow = typeof import('apache-arrow');
type ParquetWasm = typeof import('parquet-wasm');

export const CREATED_BY = 'streamlab (parquet-wasm)';

/**
 * Parquet bytes from columns, written by parquet-wasm (the Rust `parquet` crate compiled to WebAssembly) from an
 * Arrow table: measured 2-4x faster than hyparquet-writer on the same columns (bench/parquet.ts, `npm run bench --
 * parquet`, which also runs pyarrow on them). The Arrow types give the Parquet types of encode.ts's table: Int64,
 * Float64, Bool, Utf8 and Timestamp(MICROSECOND, "UTC"); every field nullable (OPTIONAL), as Spark writes them.
 *
 * Dictionary encoding is on for the string columns only: for numbers and timestamps it costs more time than it saves
 * bytes at the sink's batch sizes, and it kept hyparquet-writer from telling 0 from -0.
 */
export class ParquetWriter {
  constructor(
    private readonly arrow: Arrow,
    private readonly wasm: ParquetWasm,
  ) {}

  /** The rows as one file, each column converted by `columnValues` (which names a value that does not fit). */
  encodeRows(columns: readonly Column[], rows: readonly Row[], options: EncodeOptions): Uint8Array {
    return this.encodeColumns(
      columns,
      columns.map((column) => columnValues(column, rows)),
      rows.length,
      options,
    );
  }

  /** Columns already in arrays (typed where there is no null) as one file, `rowCount` rows. */
  encodeColumns(columns: readonly Column[], data: readonly ColumnArray[], rowCount: number, options: EncodeOptions): Uint8Array {
    if (columns.length === 0) throw new Error('a Parquet file needs at least one column');
    const { arrow, wasm } = this;
    const fields = columns.map((column) => new arrow.Field(column.name, arrowType(arrow, column), true));
    const vectors = Object.fromEntries(columns.map((column, i) => [column.name, vector(arrow, fields[i].type, data[i], rowCount)]));
    const table = new arrow.Table(new arrow.Schema(fields, new Map(oneEntry(options.schemaMetadata, 'schemaMetadata'))), vectors);
    let builder = new wasm.WriterPropertiesBuilder()
      .setCompression(CODEC[options.codec](wasm))
      .setMaxRowGroupSize(options.rowGroupSize)
      .setDictionaryEnabled(false)
      .setCreatedBy(CREATED_BY)
      .setKeyValueMetadata(new Map(oneEntry(options.metadata, 'metadata')));
    for (const column of columns) if (isText(column)) builder = builder.setColumnDictionaryEnabled(column.name, true);
    const wasmTable = wasm.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
    return wasm.writeParquet(wasmTable, builder.build());
  }
}

/** The entries of a metadata record that may hold one: two would be written in a random order (see EncodeOptions). */
function oneEntry(record: Record<string, string> | undefined, what: string): [string, string][] {
  const entries = Object.entries(record ?? {});
  if (entries.length > 1) throw new Error(`${what}: at most one key (parquet-wasm writes several in a random order)`);
  return entries;
}

const CODEC = {
  snappy: (w: ParquetWasm) => w.Compression.SNAPPY,
  gzip: (w: ParquetWasm) => w.Compression.GZIP,
  uncompressed: (w: ParquetWasm) => w.Compression.UNCOMPRESSED,
} as const;

const isText = (column: Column) => !['long', 'double', 'boolean', 'timestamp'].includes(column.type);

function arrowType(arrow: Arrow, column: Column) {
  switch (column.type) {
    case 'long':
      return new arrow.Int64();
    case 'double':
      return new arrow.Float64();
    case 'boolean':
      return new arrow.Bool();
    case 'timestamp':
      return new arrow.TimestampMicrosecond('UTC');
    default:
      return new arrow.Utf8();
  }
}

/** One Arrow vector: typed arrays are wrapped without a copy; arrays holding nulls get a validity bitmap. */
function vector(arrow: Arrow, type: InstanceType<Arrow['DataType']>, values: ColumnArray, length: number) {
  if (values instanceof BigInt64Array || values instanceof Float64Array) {
    return arrow.makeVector(arrow.makeData({ type: type as never, length, nullCount: 0, data: values as never }));
  }
  if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type) || arrow.DataType.isTimestamp(type)) {
    const typed = arrow.DataType.isFloat(type) ? new Float64Array(length) : new BigInt64Array(length);
    const valid = new Uint8Array((length + 7) >> 3);
    let nullCount = 0;
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (v === null) nullCount++;
      else {
        typed[i] = v as never;
        valid[i >> 3] |= 1 << (i & 7);
      }
    }
    return arrow.makeVector(arrow.makeData({ type: type as never, length, nullCount, nullBitmap: valid, data: typed as never }));
  }
  return arrow.vectorFromArray(values as unknown[], type as never);
}

let loading: Promise<ParquetWriter> | undefined;

/**
 * The writer, loaded on first use: parquet-wasm compiles ~15 MB of WebAssembly and apache-arrow is large, so a job
 * without a parquet sink (and `validate`, `explain`) never pays for them.
 */
export function loadParquetWriter(): Promise<ParquetWriter> {
  loading ??= Promise.all([import('apache-arrow'), import('parquet-wasm')]).then(([arrow, wasm]) => new ParquetWriter(arrow, wasm));
  return loading;
}
