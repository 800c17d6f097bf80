/**
 * A small well-formedness check for generated SVG (no XML parser among the dependencies): every `<` opens a
 * proper tag (or CDATA section) whose attributes are `name="value"` without a stray quote or `<`, tags nest and close, and text holds
 * no raw `<` or bare `&`. Returns the first problem, or undefined.
 */
const TAG = /^<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/;
const TEXT_ENTITY = /&(?!(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);)/;
const CDATA_END = ']]>';

export function xmlProblem(xml: string): string | undefined {
  const open: string[] = [];
  let at = xml.indexOf('<');
  if (at < 0) return 'no element';
  while (at >= 0) {
    const rest = xml.slice(at);
    if (rest.startsWith('<![CDATA[')) {
      // Character data (ECharts puts its hover styles in one): anything goes until its end.
      const end = xml.indexOf(CDATA_END, at);
      if (end < 0) return `CDATA at ${at} is never closed`;
      at = xml.indexOf('<', end + CDATA_END.length);
      continue;
    }
    const tag = TAG.exec(rest);
    if (!tag) return `malformed tag at ${at}: ${rest.slice(0, 80)}`;
    const [whole, closing, name, , selfClosing] = tag;
    if (closing) {
      const expected = open.pop();
      if (expected !== name) return `</${name}> at ${at} closes <${expected}>`;
    } else if (!selfClosing) open.push(name);
    const end = at + whole.length;
    const next = xml.indexOf('<', end);
    const text = xml.slice(end, next < 0 ? undefined : next);
    if (TEXT_ENTITY.test(text)) return `bare & in text at ${end}: ${text.slice(0, 80)}`;
    if (open.length === 0 && next >= 0 && xml.slice(next).trim() !== '') return `content after the root element at ${next}`;
    at = next;
  }
  return open.length > 0 ? `<${open.at(-1)}> is never closed` : undefined;
}
