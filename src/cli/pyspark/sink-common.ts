/** Python shared by the foreachBatch sinks that key their exactly-once record on Spark's query id. */

/** `query_id()`: the id Spark keeps in the checkpoint's metadata file, stable across restarts like streamlab's. */
export const QUERY_ID_FUNCTION = [
  'def query_id():',
  '    """The query id Spark keeps in the checkpoint (stable across restarts): the key of the exactly-once record."""',
  '    import json',
  '',
  '    with open(os.path.join(CHECKPOINT_LOCATION, "metadata")) as f:',
  '        return json.loads(f.readline())["id"]',
];

/**
 * `sql_value(v)`: a collected value as the SQL client wants it. PySpark hands timestamps over as naive datetimes in
 * the Python process's local time zone; they become aware UTC datetimes (naive UTC for MySQL's DATETIME).
 */
export function sqlValueFunction(naiveUtc: boolean): string[] {
  return [
    'def sql_value(value):',
    '    if isinstance(value, datetime.datetime):',
    `        return value.astimezone(datetime.timezone.utc)${naiveUtc ? '.replace(tzinfo=None)' : ''}`,
    '    return value',
  ];
}

/** `last_per_key(rows)`: update mode writes one row per key, the batch's last (an upsert cannot touch a row twice). */
export const LAST_PER_KEY_FUNCTION = [
  'def last_per_key(rows):',
  '    last = {}',
  '    for row in rows:',
  '        last[tuple(row[COLUMNS.index(k)] for k in KEY)] = row',
  '    return list(last.values())',
];
