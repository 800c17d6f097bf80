/** A field's text, or null for an empty unquoted field: CSV's way of writing a missing value (`""` is the empty string). */
export type CsvField = string | null;

/**
 * One CSV record: its fields, or why it is malformed. `line` is the 1-based line it starts on and `raw` its text
 * (without the line break), for error messages and dead letters.
 */
export type CsvRecord = { line: number; raw: string } & ({ fields: CsvField[] } | { error: string });

/**
 * Splits CSV text into records of fields (RFC 4180: quoted fields may hold separators, quotes doubled as "",
 * and line breaks; CRLF or LF). Blank lines are skipped.
 *
 * Malformed records are yielded as errors and reading goes on after them: a quote that is never closed makes a bad
 * record of its line only (reading resumes on the next line, instead of the rest of the file becoming one field),
 * and so does text after a closing quote (`"a"b`).
 */
export function* parseCsv(text: string, separator = ','): Generator<CsvRecord> {
  let start = 0;
  let line = 1;
  while (start < text.length) {
    const record = readRecord(text, start, separator);
    const raw = text.slice(start, withoutLineBreak(text, start, record.end));
    if ('error' in record) yield { line, raw, error: record.error };
    else if (!(record.fields.length === 1 && record.fields[0] === null)) yield { line, raw, fields: record.fields };
    line += countLineBreaks(text, start, record.end);
    start = record.end;
  }
}

type ReadResult = { end: number } & ({ fields: CsvField[] } | { error: string });

/** Reads the record that starts at `start`; `end` is where the next one starts. */
function readRecord(text: string, start: number, separator: string): ReadResult {
  const fields: CsvField[] = [];
  let i = start;
  for (;;) {
    if (text[i] === '"') {
      const opened = i;
      let field = '';
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) return unbalanced(text, start, fields.length + 1);
        field += text.slice(i, close);
        i = close + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
      if (i < text.length && text[i] !== separator && text[i] !== '\n' && text[i] !== '\r') {
        // A quote that spans lines and then closes badly most likely never meant to close there: the line it opened on is the bad one.
        if (/[\r\n]/.test(text.slice(opened, i))) return unbalanced(text, start, fields.length + 1);
        return { error: `field ${fields.length + 1}: text after its closing quote`, end: lineEnd(text, i) };
      }
      fields.push(field);
    } else {
      const stop = separator.charCodeAt(0);
      let j = i;
      for (let c = text.charCodeAt(j); j < text.length && c !== stop && c !== LF && c !== CR; c = text.charCodeAt(++j));
      fields.push(j === i ? null : text.slice(i, j));
      i = j;
    }
    if (i >= text.length) return { fields, end: i };
    if (text[i] === separator) {
      i++;
      continue;
    }
    return { fields, end: text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1 };
  }
}

/** A quote that never closes a field: the record is its first line only, and reading goes on at the next line. */
function unbalanced(text: string, start: number, field: number): ReadResult {
  return { error: `field ${field}: a quote is never closed (unbalanced ")`, end: lineEnd(text, start) };
}

/** Where the line holding `from` ends (after its line break). */
function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\n') return i + 1;
    if (text[i] === '\r') return text[i + 1] === '\n' ? i + 2 : i + 1;
  }
  return text.length;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}

const LF = 10;
const CR = 13;

/** Where the record's text ends without its line break (CRLF, LF or CR). */
function withoutLineBreak(text: string, start: number, end: number): number {
  if (end > start && text.charCodeAt(end - 1) === LF) end--;
  else if (end > start && text.charCodeAt(end - 1) === CR) return end - 1;
  return end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
}
