import type { ComponentConfig } from '../../config/load-job.js';
import { parseTableName, qualifiedName, quoteIdentifier } from '../../connectors/postgres/identifiers.js';
import { findComponent, sources } from '../../registry.js';
import type { Translation } from './context.js';
import { py } from './python.js';
import { refuse } from './refusal.js';
import { ddlSchema } from './sources.js';

/**
 * The static side of a join read from PostgreSQL with psycopg, as a DataFrame of the declared schema. Read once when
 * the query starts: streamlab reads it again every refreshInterval; Spark's spark.read.jdbc would read it on every
 * micro-batch, but needs the PostgreSQL JDBC driver's jar. Returns the Python expression; the function it calls goes
 * to the program's helpers.
 */
export function postgresTable(component: ComponentConfig, reference: Record<string, unknown>, t: Translation): string {
  const { type: _type, ...rest } = reference;
  const parsed = findComponent(sources, 'postgres')!.options.safeParse(rest);
  if (!parsed.success) return refuse(component, 'the join table is not a valid postgres source');
  const o = parsed.data as Record<string, unknown>;
  const schema = o.schema as Record<string, string>;
  t.packages.add('psycopg[binary]');
  for (const v of ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE']) t.envVars.add(v);
  if (!t.helpers.some((line) => line.startsWith('def postgres_rows('))) {
    t.helpers.push(
      'def postgres_rows(sql):',
      '    """A PostgreSQL query\'s rows, connected with the profile config/postgres.yaml\'s variables (libpq\'s)."""',
      '    import psycopg  # pip install psycopg[binary]',
      '',
      '    with psycopg.connect(',
      `        host=os.environ.get("PGHOST", ${py(o.host as string)}),`,
      `        port=int(os.environ.get("PGPORT", "${o.port}")),`,
      `        user=os.environ.get("PGUSER", ${py(o.user as string)}),`,
      `        dbname=os.environ.get("PGDATABASE", ${py(o.database as string)}),`,
      '        password=os.environ.get("PGPASSWORD", ""),',
      '    ) as conn:',
      '        return conn.execute(sql).fetchall()',
      '',
      '',
    );
  }
  const select = `SELECT ${Object.keys(schema).map(quoteIdentifier).join(', ')} FROM ${qualifiedName(parseTableName(o.table as string))}`;
  return `df.sparkSession.createDataFrame(postgres_rows(${py(select)}), ${py(ddlSchema(component, schema))})`;
}
