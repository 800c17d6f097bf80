/**
 * Splits CSV text into records of fields (RFC 4180: quoted fields may hold separators, quotes doubled as "",
 * and line breaks; CRLF or LF). Yields each record with the 1-based line it starts on, for error messages.
 */
export function* parseCsv(text: string, separator = ','): Generator<{ fields: string[]; line: number }> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    const record = { fields, line: recordLine };
    fields = [];
    field = '';
    return record;
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      const record = endRecord();
      if (!(record.fields.length === 1 && record.fields[0] === '')) yield record;
      line++;
      recordLine = line;
    } else field += c;
    i++;
  }
  if (field !== '' || fields.length > 0) yield endRecord();
}
