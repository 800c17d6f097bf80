import type { ComponentConfig } from '../../config/load-job.js';
import type { OperatorDefinition } from '../../component/definition.js';
import type { Translation } from './context.js';
import { comment, py, sparkInterval } from './python.js';
import { refuse } from './refusal.js';
import { sqlColumn, toSparkSql } from './spark-sql.js';
import { ddlSchema, staticTable } from './sources.js';
import { translateUnion } from './union.js';
import { aggregateCall } from '../../operators/aggregate/functions.js';

type Operator = ComponentConfig<OperatorDefinition>;
type Options = Record<string, unknown>;

/** One operator as PySpark lines inside `transform(df)`, preceded by the YAML line it comes from. */
export function translateOperator(op: Operator, t: Translation): string[] {
  const o = op.options as Options;
  const sql = (text: string, what: string) => expression(op, text, what);
  const type = op.definition.type;
  const lines = [...t.origin(op)];
  // A window column waits for the groupBy that uses it; any other step gets it as a plain column first.
  if (type !== 'groupBy' && type !== 'window' && type !== 'sessionWindow') lines.push(...t.flushWindows());
  switch (type) {
    case 'filter':
      lines.push(`    df = df.filter(${py(sql(o as unknown as string, 'filter'))})`);
      break;
    case 'select':
      lines.push(`    df = df.selectExpr(${(o as unknown as string[]).map((item) => py(selectItem(op, item))).join(', ')})`);
      break;
    case 'withColumn':
      lines.push(`    df = df.withColumn(${py(o.name as string)}, F.expr(${py(sql(o.expr as string, 'expr'))}))`);
      break;
    case 'drop':
      lines.push(`    df = df.drop(${(o as unknown as string[]).map(py).join(', ')})`);
      break;
    case 'explode':
      lines.push(...explode(o, sql));
      break;
    case 'triangle': {
      const text = `triangle(${sqlColumn(o.column as string)}, ${o.phase}, ${o.length}, ${o.amplitude})`;
      lines.push(...comment("the course's triangle wave, written out in Spark SQL (pmod is Python's %)", '    '));
      lines.push(`    df = df.withColumn(${py(o.as as string)}, F.expr(${py(toSparkSql(text))}))`);
      break;
    }
    case 'withWatermark':
      lines.push(`    df = df.withWatermark(${py(o.column as string)}, ${py(sparkInterval(o.delay as number))})`);
      break;
    case 'window':
      t.pendingWindows.set(o.as as string, windowCall(o));
      lines.push(...comment(`window column '${o.as}': ${windowCall(o)}, written inside groupBy below as Spark does`, '    '));
      break;
    case 'sessionWindow':
      t.pendingWindows.set(o.as as string, `F.session_window(${py(o.column as string)}, ${py(sparkInterval(o.gap as number))})`);
      lines.push(...comment(`session window column '${o.as}', written inside groupBy below (Spark computes sessions there)`, '    '));
      break;
    case 'groupBy':
      lines.push(...groupBy(op, o, t));
      break;
    case 'dropDuplicates':
      lines.push(...dropDuplicates(o));
      break;
    case 'join':
      lines.push(...join(op, o, t));
      break;
    case 'fromJson':
      lines.push(...fromJson(op, o));
      break;
    case 'union':
      lines.push(...translateUnion(op, t, translateOperator));
      break;
    default:
      refuse(op, `operator '${type}' has no PySpark translation yet`);
  }
  return lines;
}

function expression(op: Operator, text: string, what: string): string {
  try {
    return toSparkSql(text);
  } catch (error) {
    return refuse(op, `${what} '${text}': ${(error as Error).message}`);
  }
}

function selectItem(op: Operator, item: string): string {
  const match = /^(.*\S)\s+as\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/is.exec(item);
  if (!match) return expression(op, item, 'select item');
  return `${expression(op, match[1], 'select item')} AS ${sqlColumn(match[2])}`;
}

function windowCall(o: Options): string {
  const args = [py(o.column as string), py(sparkInterval(o.size as number))];
  const slide = (o.slide as number | undefined) ?? (o.size as number);
  const startTime = o.startTime as number | undefined;
  if (slide !== o.size || startTime) args.push(py(sparkInterval(slide)));
  if (startTime) args.push(py(sparkInterval(startTime)));
  return `F.window(${args.join(', ')})`;
}

function explode(o: Options, sql: (text: string, what: string) => string): string[] {
  const as = o.as as string;
  const generator = `F.explode(F.expr(${py(sql(o.expr as string, 'expr'))})).alias(${py(as)})`;
  const keep = o.keep as string[] | undefined;
  const carried = keep ? keep.map(py).join(', ') : `*[c for c in df.columns if c != ${py(as)}]`;
  return [`    df = df.select(${carried}${carried ? ', ' : ''}${generator})`];
}

/** Spark SQL's name of each of streamlab's aggregates (the others are spelt the same). */
const SPARK_AGGREGATE: Partial<Record<string, string>> = { approxCountDistinct: 'approx_count_distinct' };

function groupBy(op: Operator, o: Options, t: Translation): string[] {
  const keys = (o.keys as string[]).map((k) => {
    const window = t.pendingWindows.get(k);
    t.pendingWindows.delete(k);
    return window ? `${window}.alias(${py(k)})` : `F.col(${py(k)})`;
  });
  const lines = t.flushWindows();
  const aggs = Object.entries(o.agg as Record<string, string>).map(([name, text]) => {
    const call = aggregateCall(text);
    if (!call?.kind) return refuse(op, `aggregate '${text}' is not one streamlab knows`);
    const fn = SPARK_AGGREGATE[call.kind] ?? call.kind;
    const arg = call.argument === '' || call.argument === '*' ? '1' : expression(op, call.argument, `agg.${name}`);
    return `F.expr(${py(`${fn}(${arg})`)}).alias(${py(name)})`;
  });
  const grouped = keys.length > 0 ? `df.groupBy(${keys.join(', ')})` : 'df.groupBy()';
  return [...lines, `    df = ${grouped}.agg(`, ...aggs.map((a) => `        ${a},`), '    )'];
}

function dropDuplicates(o: Options): string[] {
  const columns = o.columns as string[] | undefined;
  const list = columns ? `[${columns.map(py).join(', ')}]` : '';
  if (o.withinWatermark) return [`    df = df.dropDuplicatesWithinWatermark(${list})`];
  return [`    df = df.dropDuplicates(${list})`];
}

function join(op: Operator, o: Options, t: Translation): string[] {
  const table = staticTable(op, o.with as Options, t);
  const lines = [...comment('the static side of a stream-static join: a batch DataFrame, read again by every micro-batch', '    ')];
  if (o.reloadEvery !== undefined) {
    lines.push(...comment('(streamlab re-reads it every reloadEvery; Spark re-reads a file table on every micro-batch)', '    '));
  }
  if ((o.with as Options).type === 'postgres') {
    lines.push(...comment('(a PostgreSQL table is read once, when the query starts: streamlab re-reads it every refreshInterval)', '    '));
  }
  lines.push(`    static = ${table}`);
  lines.push(`    df = df.join(static, on=[${(o.on as string[]).map(py).join(', ')}], how=${py(o.how as string)})`);
  return lines;
}

/** Spark's from_json into a struct, then its fields, the kept columns and the corrupt-record column, in that order. */
function fromJson(op: Operator, o: Options): string[] {
  const schema = o.schema as Record<string, string>;
  const corrupt = o.columnNameOfCorruptRecord as string | undefined;
  const ddl = ddlSchema(op, corrupt ? { ...schema, [corrupt]: 'string' } : schema);
  const options: Record<string, string> = { mode: (o.mode as string | undefined) ?? 'PERMISSIVE' };
  if (corrupt) options.columnNameOfCorruptRecord = corrupt;
  const keep = ((o.keep as string[] | undefined) ?? []).map(py);
  const parsed = `F.from_json(F.col(${py((o.column as string | undefined) ?? 'value')}), ${py(ddl)}, ${pyDict(options)}).alias("data")`;
  const fields = [...Object.keys(schema).map((f) => py(`data.${f}`)), ...keep, ...(corrupt ? [py(`data.${corrupt}`)] : [])];
  return [`    df = df.select(${[parsed, ...keep].join(', ')})`, `    df = df.select(${fields.join(', ')})`];
}

function pyDict(value: Record<string, string>): string {
  return `{${Object.entries(value)
    .map(([k, v]) => `${py(k)}: ${py(v)}`)
    .join(', ')}}`;
}
