/**
 * The one CSV field the read-back needs per record (RFC 4180: quoted fields may hold commas, doubled quotes and line
 * breaks), without building whole records. Yields the field at `index` of every non-blank record, null when the
 * record is shorter.
 */
export function* csvColumn(text: string, index: number): Generator<string | null> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (text[i] === '\n' || text[i] === '\r') {
      i++; // a blank line
      continue;
    }
    let field = 0;
    let value: string | null = null;
    for (;;) {
      let content: string;
      if (text[i] === '"') {
        let end = i + 1;
        let parts = '';
        for (;;) {
          const quote = text.indexOf('"', end);
          if (quote < 0) throw new Error('a quoted CSV field is never closed');
          parts += text.slice(end, quote);
          if (text[quote + 1] === '"') {
            parts += '"';
            end = quote + 2;
          } else {
            i = quote + 1;
            break;
          }
        }
        content = parts;
      } else {
        let end = i;
        while (end < n && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end++;
        content = text.slice(i, end);
        i = end;
      }
      if (field === index) value = content;
      field++;
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    yield value;
  }
}
