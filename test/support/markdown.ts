/** Reading documentation as written: one section of a Markdown file and its fenced code blocks. */

/** The text under `## heading` up to the next heading of the same level; throws when the heading is missing. */
export function markdownSection(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no "## ${heading}" section`);
  const body = markdown.slice(start + heading.length + 5);
  const end = body.search(/^## /m);
  return end < 0 ? body : body.slice(0, end);
}

/** The contents of the fenced blocks opened with ```lang, in order, exactly as written. */
export function codeBlocks(section: string, lang: string): string[] {
  return [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter((m) => m[1] === lang).map((m) => m[2]);
}

/** The one block of that language; throws when there is none or more than one. */
export function onlyCodeBlock(section: string, lang: string): string {
  const blocks = codeBlocks(section, lang);
  if (blocks.length !== 1) throw new Error(`expected one \`\`\`${lang} block, found ${blocks.length}`);
  return blocks[0];
}
