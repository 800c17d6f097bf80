"""pyarrow's side of `npm run bench -- parquet` (bench/parquet.ts): builds the bench's rows as an Arrow table once
(the same values as rateTriangleRows in bench/parquet.ts), then answers one line per request read on stdin:
  write PATH  -> writes the table with pq.write_table (snappy, 100,000-row groups) and prints the milliseconds;
  check PATH  -> reads PATH back and prints "equal" if it holds the same rows, else what differs.
Usage: python3 pyarrow_writer.py ROWS
"""
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

START_MS = 1796043600000  # 2026-11-30T13:00:00Z


def table(rows):
    i = pa.array(range(rows), type=pa.int64())
    # one timestamp per 10 rows, 100 ms apart; tr = triangle(value, 0, 30, 10) = 5 - 10/15 * |value % 30 - 15|
    ts = pc.multiply(pc.add(START_MS, pc.multiply(pc.divide(i, 10), 100)), 1000)
    m = pc.subtract(pc.cast(pc.subtract(i, pc.multiply(pc.divide(i, 30), 30)), pa.float64()), 15)
    tr = pc.subtract(5.0, pc.multiply(10 / 15, pc.abs(m)))
    schema = pa.schema([("timestamp", pa.timestamp("us", tz="UTC")), ("value", pa.int64()), ("tr", pa.float64())])
    return pa.table([pc.cast(ts, pa.timestamp("us", tz="UTC")), i, tr], schema=schema)


def main():
    expected = table(int(sys.argv[1]))
    print(f"ready pyarrow {pa.__version__}", flush=True)
    for line in sys.stdin:
        verb, path = line.split(maxsplit=1)
        path = path.strip()
        if verb == "write":
            start = time.perf_counter()
            pq.write_table(expected, path, compression="snappy", row_group_size=100_000)
            print(f"{(time.perf_counter() - start) * 1000:.1f}", flush=True)
        else:
            got = pq.read_table(path).select(expected.column_names)
            same = got.schema.types == expected.schema.types and got.equals(expected.cast(got.schema))
            print("equal" if same else f"differs: {got.schema} {got.num_rows} rows", flush=True)


if __name__ == "__main__":
    main()
