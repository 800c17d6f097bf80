import { z } from 'zod';

/**
 * Spark's parse modes, for every step that turns text into typed columns (the file source, `fromJson`, the kafka
 * source's `format`): the same two options with the same names and meaning as Spark's JSON and CSV readers.
 *
 * - PERMISSIVE (Spark's default): a field that does not parse becomes null; a record that is not JSON (or a CSV line
 *   with the wrong number of fields) becomes a row of nulls. When `columnNameOfCorruptRecord` names a column, that
 *   column holds the raw text of every record that had anything wrong, and null for good ones.
 * - DROPMALFORMED: a record with anything wrong is left out, and counted (progress `malformedRows`).
 * - FAILFAST: the first such record stops the query with an error naming where it is (file:line, topic/partition/offset)
 *   and the column at fault.
 *
 * Each parsing step reports what it dropped or nulled to the query's bad-record handler (core/bad-records.ts), so that
 * `onBadRecord: deadLetter` keeps the raw record of a DROPMALFORMED drop as well.
 */
export const parseModes = ['PERMISSIVE', 'DROPMALFORMED', 'FAILFAST'] as const;
export type ParseMode = (typeof parseModes)[number];

export const parseModeOptions = {
  mode: z
    .enum(parseModes)
    .default('PERMISSIVE')
    .describe(
      "Spark's parse mode for records that do not parse: PERMISSIVE (default, as Spark: bad fields become null, the raw text goes to `columnNameOfCorruptRecord` when set), DROPMALFORMED (the record is left out and counted), FAILFAST (the query stops, naming the record).",
    ),
  columnNameOfCorruptRecord: z
    .string()
    .min(1)
    .optional()
    .describe(
      "PERMISSIVE: a string column added to the rows that holds the raw text of each record that did not parse (null for good ones), as Spark's `columnNameOfCorruptRecord` (conventionally `_corrupt_record`).",
    ),
};

export interface ParseModeOptions {
  mode: ParseMode;
  columnNameOfCorruptRecord?: string;
}
