import type { ColumnType } from '../../core/schema.js';

/**
 * streamlab column types <-> PostgreSQL types. Timestamps are timestamptz (an instant, as a JavaScript Date is;
 * PostgreSQL keeps microseconds, Dates have milliseconds), arrays, structs and `any` are jsonb (streamlab arrays may
 * nest and mix types, which PostgreSQL arrays cannot), strings are text (no length to outgrow).
 */
export function postgresType(type: ColumnType): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'long':
      return 'bigint';
    case 'double':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      return 'timestamptz';
    case 'array':
    case 'struct':
    case 'any':
      return 'jsonb';
  }
}

/**
 * The streamlab type a column of this PostgreSQL type reads as (`format_type` names, e.g. `character varying(20)`,
 * `timestamp(3) with time zone`), or undefined for a type streamlab has no column for (bytea, intervals, geometry...).
 */
export function columnTypeOf(postgres: string): ColumnType | undefined {
  const base = postgres.replace(/\(.*?\)/g, '').trim();
  if (base.endsWith('[]')) return 'array';
  switch (base) {
    case 'text':
    case 'character varying':
    case 'character':
    case 'varchar':
    case 'char':
    case 'uuid':
    case 'name':
    case 'citext':
      return 'string';
    case 'bigint':
    case 'integer':
    case 'smallint':
      return 'long';
    case 'double precision':
    case 'real':
    case 'numeric':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'timestamp with time zone':
    case 'timestamp without time zone':
    case 'date':
      return 'timestamp';
    case 'json':
    case 'jsonb':
      return 'any';
    default:
      return undefined;
  }
}

/**
 * Whether a table column of PostgreSQL type `postgres` can take values of streamlab type `type` as the sink writes
 * them (COPY text), without losing what they hold silently. A long goes to any integer type (a value too large for
 * integer or smallint is an error naming the column, and the batch is not written), numeric or double precision; a
 * double only to double precision or numeric (real would round it); a timestamp to timestamp types; strings to text
 * types (and uuid, json); nested values to json/jsonb.
 */
export function canHold(postgres: string, type: ColumnType): boolean {
  const base = postgres.replace(/\(.*?\)/g, '').trim();
  switch (type) {
    case 'string':
      return ['text', 'character varying', 'character', 'uuid', 'citext', 'json', 'jsonb'].includes(base);
    case 'long':
      return ['bigint', 'integer', 'smallint', 'numeric', 'double precision'].includes(base);
    case 'double':
      return ['double precision', 'numeric'].includes(base);
    case 'boolean':
      return base === 'boolean';
    case 'timestamp':
      return base === 'timestamp with time zone' || base === 'timestamp without time zone';
    case 'array':
    case 'struct':
    case 'any':
      return base === 'jsonb' || base === 'json';
  }
}
