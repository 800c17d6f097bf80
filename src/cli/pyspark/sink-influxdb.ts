import type { ComponentConfig } from '../../config/load-job.js';
import type { Translation } from './context.js';
import { py, pyValue } from './python.js';
import { refuse } from './refusal.js';

/**
 * `write_batch` for the influxdb sink, with the official client (influxdb-client, the telemetry workshop's): each row
 * one point timed by its time column, never by the clock, so a replay rewrites the same points. In append mode the
 * nanoseconds below the row's millisecond carry (batch id mod 100) and the row's rank among the batch's rows of the
 * same series and time, exactly as streamlab writes them (src/sinks/influxdb/collisions.ts); in update and complete
 * mode a row replaces its key's point, so the time is written as is.
 */
export function influxdbSink(sink: ComponentConfig, o: Record<string, unknown>, t: Translation): string[] {
  if (o.api === 'v1' || o.iniFile !== undefined)
    refuse(sink, 'the influxdb sink with api v1 or iniFile has no translation yet (url/org/token has)');
  if (o.precision !== 'ms') refuse(sink, `influxdb precision '${String(o.precision)}' has no translation yet (ms has)`);
  t.packages.add('influxdb-client');
  for (const v of ['INFLUX_URL', 'INFLUX_ORG', 'INFLUX_BUCKET', 'INFLUX_TOKEN']) t.envVars.add(v);
  const tags = o.tags as string[];
  const time = o.time as string;
  const timeColumn = t.sinkSchema.find((c) => c.name === time);
  if (timeColumn?.type !== 'timestamp')
    refuse(sink, `time column '${time}' must be a timestamp here (a long time column has no translation yet)`);
  const fields =
    (o.fields as string[] | undefined) ??
    t.sinkSchema.filter((c) => (c.type === 'long' || c.type === 'double') && c.name !== time && !tags.includes(c.name)).map((c) => c.name);
  return [
    'from influxdb_client import InfluxDBClient, Point, WritePrecision  # noqa: E402  (pip install influxdb-client)',
    'from influxdb_client.client.write_api import SYNCHRONOUS  # noqa: E402',
    '',
    '# The profile config/influxdb.yaml, read from the same environment variables (the token is never in this file)',
    'INFLUX_URL = os.environ.get("INFLUX_URL", "http://localhost:8086")',
    'INFLUX_ORG = os.environ.get("INFLUX_ORG", "streamlab")',
    `INFLUX_BUCKET = os.environ.get("INFLUX_BUCKET", ${py('streamlab')})`,
    `MEASUREMENT = ${py(o.measurement as string)}`,
    `TAGS = ${pyValue(tags)}`,
    `FIELDS = ${pyValue(fields)}`,
    `TIME = ${py(time)}`,
    '',
    '',
    'def write_batch(batch_df, batch_id):',
    '    """foreachBatch: points timed by the row, so a replayed batch writes the same points again (no duplicates)."""',
    '    rows = batch_df.withColumn("__time_us", F.unix_micros(TIME)).collect()',
    '    points, rank = [], {}',
    '    for row in rows:',
    '        if row["__time_us"] is None:',
    '            continue',
    '        nanos = (row["__time_us"] // 1000) * 1_000_000  # the row\'s millisecond, in nanoseconds',
    '        tags = {tag: str(row[tag]) for tag in TAGS if row[tag] is not None and str(row[tag]) != ""}',
    '        if OUTPUT_MODE == "append":',
    '            # rows of one series and millisecond, in this batch and the next, must not become one point',
    '            series = (tuple(sorted(tags.items())), nanos)',
    '            k = rank.get(series, 0)',
    '            rank[series] = k + 1',
    '            nanos += (batch_id % 100) * 10_000 + k',
    '        point = Point(MEASUREMENT).time(nanos, WritePrecision.NS)',
    '        for tag, value in tags.items():',
    '            point = point.tag(tag, value)',
    '        for field in FIELDS:',
    '            if row[field] is not None:',
    '                point = point.field(field, row[field])',
    '        points.append(point)',
    '    if not points:',
    '        return',
    '    token = os.environ.get("INFLUX_TOKEN", "")',
    '    with InfluxDBClient(url=INFLUX_URL, token=token, org=INFLUX_ORG) as client:',
    '        client.write_api(write_options=SYNCHRONOUS).write(bucket=INFLUX_BUCKET, record=points)',
  ];
}
