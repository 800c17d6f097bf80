import type { SinkBuildContext } from '../../component/definition.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { describeSchema, findColumn, type ColumnType } from '../../core/schema.js';
import type { FieldKind, LinePlan } from './line-protocol.js';
import type { InfluxDBSinkOptions } from './options.js';

const FIELD_KINDS: Partial<Record<ColumnType, FieldKind>> = {
  double: 'float',
  long: 'integer',
  boolean: 'boolean',
  string: 'string',
  any: 'dynamic',
};
const TAG_TYPES: ColumnType[] = ['string', 'long', 'double', 'boolean', 'any'];

/**
 * Checks tags, fields and time against the input schema (every problem at once) and returns the line-protocol
 * plan. Default fields: every long or double column that is neither a tag nor the time, so `sine` gives `value`
 * and the system source gives its three measures once hostname and os are tags.
 */
export function planColumns(
  options: Pick<InfluxDBSinkOptions, 'measurement' | 'tags' | 'fields' | 'time' | 'precision'>,
  context: Pick<SinkBuildContext, 'input' | 'location'>,
): LinePlan {
  const { input, location } = context;
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: location.file, path: `${location.path}.${path}`, message });
  const has = () => describeSchema(input) || '(no columns)';

  const measurementProblem = checkMeasurement(options.measurement);
  if (measurementProblem) problem('measurement', measurementProblem);
  const newlineIn = (name: string) =>
    `the column name ${JSON.stringify(name)} contains a newline, which line protocol cannot carry in a tag or field key (it would end the line or be stored with a backslash): rename the column first (select or withColumn)`;

  const time = findColumn(input, options.time);
  if (!time) {
    problem(
      'time',
      `the input has no column "${options.time}"; the input has: ${has()}. Name a timestamp column: each point takes its time from its row, so that a replayed batch overwrites its own points`,
    );
  } else if (time.type !== 'timestamp' && time.type !== 'long') {
    problem('time', `"${options.time}" is ${time.type}; the time column must be a timestamp (or a long in ${options.precision})`);
  }

  const seen = new Set<string>();
  options.tags.forEach((name, i) => {
    const column = findColumn(input, name);
    if (!column) problem(`tags[${i}]`, `unknown column "${name}"; the input has: ${has()}`);
    else if (name.includes('\n')) problem(`tags[${i}]`, newlineIn(name));
    else if (!TAG_TYPES.includes(column.type))
      problem(`tags[${i}]`, `"${name}" is ${column.type}; a tag holds text, a number or a boolean`);
    else if (name === options.time) problem(`tags[${i}]`, `"${name}" is the time column; it cannot also be a tag`);
    if (seen.has(name)) problem(`tags[${i}]`, `"${name}" is listed twice`);
    seen.add(name);
  });

  const fields: LinePlan['fields'][number][] = [];
  if (options.fields) {
    const fieldSeen = new Set<string>();
    options.fields.forEach((name, i) => {
      const column = findColumn(input, name);
      const kind = column && FIELD_KINDS[column.type];
      if (!column) problem(`fields[${i}]`, `unknown column "${name}"; the input has: ${has()}`);
      else if (name.includes('\n')) problem(`fields[${i}]`, newlineIn(name));
      else if (!kind) {
        problem(
          `fields[${i}]`,
          `"${name}" is ${column.type}; a field is a double, long, boolean or string (derive one with withColumn, e.g. string(...) or unix_timestamp(...))`,
        );
      } else if (seen.has(name)) problem(`fields[${i}]`, `"${name}" is already a tag; a column is either a tag or a field`);
      else if (name === options.time) problem(`fields[${i}]`, `"${name}" is the time column; it cannot also be a field`);
      else if (fieldSeen.has(name)) problem(`fields[${i}]`, `"${name}" is listed twice`);
      else fields.push({ name, kind });
      fieldSeen.add(name);
    });
  } else {
    for (const column of input) {
      if ((column.type === 'long' || column.type === 'double') && !seen.has(column.name) && column.name !== options.time) {
        if (column.name.includes('\n')) problem('fields', newlineIn(column.name));
        fields.push({ name: column.name, kind: FIELD_KINDS[column.type]! });
      }
    }
    if (fields.length === 0) {
      problem(
        'fields',
        `no long or double column is left to write as a field (the input has: ${has()}); list the fields, e.g. fields: [value]`,
      );
    }
  }

  if (problems.length) throw new ConfigError(problems);
  return {
    measurement: options.measurement,
    tags: options.tags,
    fields,
    time: { column: options.time, kind: time!.type as 'timestamp' | 'long' },
    precision: options.precision,
  };
}

/**
 * A measurement line protocol cannot carry: a line starting with `#` is a comment (the server answers 204 and
 * stores nothing), leading tabs and carriage returns are skipped by the parser, and a newline ends the line.
 */
function checkMeasurement(name: string): string | undefined {
  const shown = JSON.stringify(name);
  if (name.startsWith('#')) {
    return `${shown} starts with "#": line protocol reads such a line as a comment, so InfluxDB would answer "written" and store nothing (no escape exists for it); choose a name that does not start with "#"`;
  }
  if (name.includes('\n')) return `${shown} contains a newline, which line protocol cannot carry in a measurement name`;
  if (/^[\t\r]/.test(name))
    return `${shown} starts with a tab or carriage return, which InfluxDB skips as whitespace at the start of a line`;
  return undefined;
}
