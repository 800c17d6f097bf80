import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import type { ColumnArray } from '../../src/sinks/parquet/encode.js';

/**
 * The sink's previous writer, kept for the comparison: hyparquet-writer 0.17 fed the same column arrays, with the
 * schema elements the sink used to give it (timestamp, value, tr only: the bench's columns).
 */
export function hyparquetEncode(columns: { timestamp: ColumnArray; value: ColumnArray; tr: ColumnArray }): Uint8Array {
  const writer = new ByteWriter();
  const optional = 'OPTIONAL' as const;
  void parquetWrite({
    writer,
    rowGroupSize: 100_000,
    codec: 'SNAPPY',
    schema: [
      { name: 'spark_schema', num_children: 3 },
      {
        name: 'timestamp',
        repetition_type: optional,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      },
      { name: 'value', repetition_type: optional, type: 'INT64' },
      { name: 'tr', repetition_type: optional, type: 'DOUBLE' },
    ],
    columnData: [
      { name: 'timestamp', data: columns.timestamp },
      { name: 'value', data: columns.value },
      { name: 'tr', data: columns.tr },
    ],
  });
  return writer.getBytes();
}
