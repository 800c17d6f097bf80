import { readFileSync } from 'node:fs';
import { isScalar, LineCounter, parseDocument, parse as parseYaml, visit, type Document } from 'yaml';
import type { ConfigProblem } from '../core/errors.js';
import { interpolate, type Env } from './env.js';

export type PathSegment = string | number;

/** `['operators', 1, 'filter']` -> `operators[1].filter`. */
export function dottedPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg), '');
}

/**
 * A YAML config file, parsed with positions so every problem can name its line, and with `${VAR}` references
 * interpolated. A scalar that is exactly one reference takes the type of what it expands to (`port: ${PORT}` with
 * PORT=9042 is the number 9042), so variables can fill numbers and booleans too.
 */
export class YamlFile {
  readonly value: unknown;
  readonly problems: ConfigProblem[] = [];
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
    env: Env,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
    for (const error of this.doc.errors) {
      const pos = this.lines.linePos(error.pos[0]);
      this.problems.push({ file, line: pos.line, column: pos.col, message: `YAML syntax: ${error.message.split('\n')[0]}` });
    }
    if (this.problems.length === 0) this.interpolateScalars(env);
    this.value = this.problems.length === 0 ? this.doc.toJS() : undefined;
  }

  /** Reads `path`; messages name it as `display` (e.g. relative to the working directory). */
  static read(path: string, env: Env, display = path): YamlFile {
    return new YamlFile(display, readFileSync(path, 'utf8'), env);
  }

  /** Line and column of the node at `path`, or of its nearest existing parent. */
  locate(path: readonly PathSegment[]): { line?: number; column?: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) {
        const pos = this.lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return {};
  }

  /** Where character `offset` of the string at `path` is, when the string sits on one line (for expression errors). */
  locateInString(path: readonly PathSegment[], offset: number): { line?: number; column?: number } {
    const node = this.doc.getIn(path, true);
    if (!isScalar(node) || !node.range || typeof node.source !== 'string' || node.source.includes('\n')) return this.locate(path);
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    const pos = this.lines.linePos(node.range[0] + quoted + offset);
    return { line: pos.line, column: pos.col };
  }

  problem(path: readonly PathSegment[], message: string): ConfigProblem {
    return { file: this.file, path: dottedPath(path), ...this.locate(path), message };
  }

  private interpolateScalars(env: Env): void {
    visit(this.doc, {
      Scalar: (_key, node, ancestry) => {
        if (typeof node.value !== 'string' || !node.value.includes('${')) return;
        const { value, missing } = interpolate(node.value, env);
        if (missing.length > 0) {
          const pos = node.range ? this.lines.linePos(node.range[0]) : undefined;
          const path = ancestry.length > 0 ? pathOf(this.doc, node) : undefined;
          for (const name of missing) {
            this.problems.push({
              file: this.file,
              path,
              line: pos?.line,
              column: pos?.col,
              message: `environment variable ${name} is not set and has no default: set it (or put it in .env), or write \${${name}:-default}`,
            });
          }
          return;
        }
        const whole = /^\$\{[^}]+\}$/.test(node.value.trim());
        node.value = whole ? parseScalar(value) : value;
      },
    });
  }
}

/**
 * The value of a variable as YAML would read it, when it reads back as the same text: `9042` is a number and `true`
 * a boolean, but `0042`, `1e3` or `0x10` stay text, so a token or password made of digits is never changed.
 */
function parseScalar(text: string): unknown {
  try {
    const parsed = parseYaml(text);
    if (parsed === null || typeof parsed === 'object') return text;
    return String(parsed) === text ? parsed : text;
  } catch {
    return text;
  }
}

/** The dotted path of a node, found by walking the document (only used for error messages). */
function pathOf(doc: Document, target: unknown): string | undefined {
  let found: string | undefined;
  const walk = (node: unknown, path: PathSegment[]) => {
    if (found !== undefined || !node || typeof node !== 'object') return;
    if (node === target) {
      found = dottedPath(path);
      return;
    }
    const items = (node as { items?: unknown[] }).items;
    if (!Array.isArray(items)) return;
    items.forEach((item, i) => {
      const pair = item as { key?: { value?: unknown }; value?: unknown };
      if (pair && typeof pair === 'object' && 'key' in pair) walk(pair.value, [...path, String(pair.key?.value)]);
      else walk(item, [...path, i]);
    });
  };
  walk(doc.contents, []);
  return found;
}
