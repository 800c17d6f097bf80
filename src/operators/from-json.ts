import { z } from 'zod';
import { coerce } from '../component/coerce.js';
import { defineOperator, type OperatorContext } from '../component/definition.js';
import { schemaOption } from '../component/options.js';
import { parseModeOptions, type ParseMode } from '../component/parse-mode.js';
import { ConfigError, RuntimeError } from '../core/errors.js';
import { mapRows } from '../core/operator.js';
import type { Row, Value } from '../core/row.js';
import type { Column, Schema } from '../core/schema.js';

const options = z.strictObject({
  column: z.string().min(1).default('value').describe('The string column holding JSON text (default: `value`, as a Kafka record).'),
  schema: schemaOption('The fields to read from each JSON object and their types, in order, e.g. `{ id: string, bytes: long }`.'),
  keep: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Other input columns carried along after the fields (default: none, as `select("data.*")`); a name that is also a field is a config error.',
    ),
  ...parseModeOptions,
});

/** One JSON text parsed into the schema's fields: `malformed` when anything was wrong (Spark's partial result). */
interface Parsed {
  values: Value[];
  malformed?: string;
}

/**
 * Spark's `from_json(column, schema, options)` followed by `select("data.*", keep...)`, with Spark 4's behaviour
 * (checked on PySpark 4.3): a field that does not convert to its type is null and the other fields keep their values
 * (a partial result); text that is not a JSON object gives a row of nulls; a null input gives nulls and is not
 * malformed; absent keys are null. `columnNameOfCorruptRecord` holds the raw text of each malformed record. FAILFAST
 * stops at the first malformed record. DROPMALFORMED is refused as Spark refuses it for from_json (PARSE_MODE_UNSUPPORTED).
 */
export const fromJsonOperator = defineOperator({
  type: 'fromJson',
  summary: "Parses a column of JSON text into typed columns (Spark: from_json(col, schema) + select('data.*')).",
  options,
  examples: [
    {
      column: 'value',
      schema: { timestamp: 'timestamp', id: 'string', antenna_id: 'string', app: 'string', bytes: 'long' },
      keep: ['partition', 'offset'],
      mode: 'PERMISSIVE',
    },
    { schema: { user: 'string', score: 'double' }, columnNameOfCorruptRecord: '_corrupt_record' },
  ],
  create(o, context) {
    const fields = Object.entries(o.schema).map(([name, type]): Column => ({ name, type }));
    const output = checkOptions(o, fields, context);
    const parse = (text: unknown) => parseJson(text, fields);
    const { column, keep, mode, columnNameOfCorruptRecord: corrupt } = o;
    return {
      operator: mapRows((rows, batch) => {
        const out: Row[] = new Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i];
          const parsed = parse(row[column]);
          if (parsed.malformed !== undefined && mode === 'FAILFAST')
            throw failFast(row[column], parsed.malformed, column, batch.batchId, i);
          const next: Row = {};
          for (let f = 0; f < fields.length; f++) next[fields[f].name] = parsed.values[f];
          for (const name of keep) next[name] = row[name];
          if (corrupt) next[corrupt] = parsed.malformed === undefined ? null : (row[column] as string);
          out[i] = next;
        }
        return out;
      }),
      schema: output,
      description: `Project [from_json(${column}, ${describeFields(fields)}${modeText(mode, corrupt)}).*${keep.map((k) => `, ${k}`).join('')}]`,
    };
  },
});

/** The output schema (fields, keep, corrupt-record column), or every problem with the options at once. */
function checkOptions(
  o: { column: string; keep: string[]; mode: ParseMode; columnNameOfCorruptRecord?: string },
  fields: Column[],
  context: OperatorContext,
): Schema {
  const problems: string[][] = [];
  const input = context.input;
  const source = input.find((c) => c.name === o.column);
  if (!source) problems.push(['column', `no column '${o.column}' (columns: ${input.map((c) => c.name).join(', ')})`]);
  else if (source.type !== 'string' && source.type !== 'any')
    problems.push(['column', `'${o.column}' is ${source.type}; fromJson reads JSON text from a string column`]);
  if (fields.length === 0) problems.push(['schema', 'needs at least one field']);
  const keep: Column[] = [];
  for (const [i, name] of o.keep.entries()) {
    const kept = input.find((c) => c.name === name);
    if (!kept) problems.push([`keep[${i}]`, `no column '${name}' to keep (columns: ${input.map((c) => c.name).join(', ')})`]);
    else if (fields.some((f) => f.name === name))
      problems.push([`keep[${i}]`, `'${name}' is also a field of the schema: rename one of them`]);
    else keep.push(kept);
  }
  const corrupt = o.columnNameOfCorruptRecord;
  if (corrupt && [...fields, ...keep].some((c) => c.name === corrupt))
    problems.push(['columnNameOfCorruptRecord', `'${corrupt}' is already a field or a kept column`]);
  if (o.mode === 'DROPMALFORMED')
    problems.push([
      'mode',
      "Spark's from_json does not take DROPMALFORMED (PARSE_MODE_UNSUPPORTED: PERMISSIVE and FAILFAST only); use PERMISSIVE with columnNameOfCorruptRecord and a filter `<column> is null` after it",
    ]);
  if (problems.length > 0) {
    const { file, path } = context.location;
    throw new ConfigError(problems.map(([at, message]) => ({ file, path: `${path}.${at}`, message })));
  }
  return [...fields, ...keep, ...(corrupt ? [{ name: corrupt, type: 'string' as const }] : [])];
}

/** Spark's JacksonParser under FailureSafeParser: a partial result plus what made it malformed, if anything. */
export function parseJson(text: unknown, fields: readonly Column[]): Parsed {
  const nulls = () => fields.map(() => null);
  if (text === null || text === undefined) return { values: nulls() };
  if (typeof text !== 'string') return { values: nulls(), malformed: `expected JSON text, found ${typeof text}` };
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    return { values: nulls(), malformed: `not valid JSON: ${(error as Error).message}` };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { values: nulls(), malformed: `expected a JSON object, found ${Array.isArray(record) ? 'an array' : JSON.stringify(record)}` };
  }
  const object = record as Record<string, unknown>;
  let malformed: string | undefined;
  const values = fields.map((field) => {
    const raw = Object.hasOwn(object, field.name) ? object[field.name] : null;
    const result = coerce(raw, field.type);
    if ('value' in result) return result.value;
    malformed ??= `field '${field.name}': ${result.error}, found ${JSON.stringify(raw)}`;
    return null;
  });
  return malformed === undefined ? { values } : { values, malformed };
}

function failFast(text: Value, why: string, column: string, batchId: number, row: number): RuntimeError {
  const shown = typeof text === 'string' && text.length > 200 ? `${text.slice(0, 200)}...` : text;
  return new RuntimeError(
    `fromJson: batch ${batchId}, row ${row}: column '${column}' holds a malformed record (${why}): ${JSON.stringify(shown)}. ` +
      'Parse mode FAILFAST stops the query (as Spark: MALFORMED_RECORD_IN_PARSING); mode PERMISSIVE makes such fields null.',
  );
}

function describeFields(fields: readonly Column[]): string {
  return `struct<${fields.map((f) => `${f.name}: ${f.type}`).join(', ')}>`;
}

function modeText(mode: ParseMode, corrupt: string | undefined): string {
  return `, mode=${mode}${corrupt ? `, columnNameOfCorruptRecord=${corrupt}` : ''}`;
}
