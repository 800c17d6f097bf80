/** Splits an expression into tokens, each with its 0-based source span [pos, end). */
import { ExpressionError } from './errors.js';

export type TokenKind = 'number' | 'string' | 'ident' | 'quoted' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The characters as written (for messages). */
  text: string;
  /** number: its value; string: the unescaped text; ident / quoted: the name; op: the operator. */
  value: string | number;
  /** number only: written without `.` or exponent, so typed `long`. */
  integer: boolean;
  pos: number;
  end: number;
}

/** Longest first, so `<=>` wins over `<=` and `<`. */
const OPERATORS = ['<=>', '==', '!=', '<>', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '(', ')', ',', '.', '=', '<', '>', '!'];
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;
const WORD_CHAR = /[\p{L}\p{N}_.]/u;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', '0': '\0' };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(source[i + 1] ?? ''))) {
      tokens.push(number(source, i));
      i = tokens[tokens.length - 1].end;
    } else if (c === "'" || c === '"') {
      tokens.push(string(source, i));
      i = tokens[tokens.length - 1].end;
    } else if (c === '`') {
      tokens.push(quoted(source, i));
      i = tokens[tokens.length - 1].end;
    } else {
      IDENT.lastIndex = i;
      const ident = IDENT.exec(source);
      if (ident) {
        tokens.push(token('ident', source, i, i + ident[0].length, ident[0]));
        i += ident[0].length;
        continue;
      }
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new ExpressionError(`unexpected character '${String.fromCodePoint(source.codePointAt(i)!)}'`, i, 1);
      tokens.push(token('op', source, i, i + op.length, op));
      i += op.length;
    }
  }
  tokens.push(token('eof', source, source.length, source.length, ''));
  return tokens;
}

function token(kind: TokenKind, source: string, pos: number, end: number, value: string | number, integer = false): Token {
  return { kind, text: source.slice(pos, end), value, integer, pos, end };
}

function number(source: string, start: number): Token {
  NUMBER.lastIndex = start;
  let end = start + NUMBER.exec(source)![0].length;
  if (end < source.length && WORD_CHAR.test(source[end])) {
    while (end < source.length && WORD_CHAR.test(source[end])) end++;
    throw new ExpressionError(`malformed number '${source.slice(start, end)}'`, start, end - start);
  }
  const text = source.slice(start, end);
  const integer = /^\d+$/.test(text);
  const value = Number(text);
  if (integer && !Number.isSafeInteger(value)) {
    throw new ExpressionError(`integer ${text} is too large to be exact (the largest is 9007199254740991)`, start, end - start);
  }
  return token('number', source, start, end, value, integer);
}

/** 'text' or "text"; backslash escapes \n \t \r \b \0 \uXXXX, and \x for any other x is x itself (Spark). */
function string(source: string, start: number): Token {
  const quote = source[start];
  let value = '';
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === quote) return token('string', source, start, i + 1, value);
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = source[++i];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = source.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ExpressionError('invalid \\u escape: expected 4 hex digits', i - 1, 2 + hex.length);
      value += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      value += Object.hasOwn(ESCAPES, next) ? ESCAPES[next] : next;
    }
  }
  throw new ExpressionError('unterminated string', start, source.length - start);
}

/** `any name`, with `` for a backtick inside (Spark). */
function quoted(source: string, start: number): Token {
  let name = '';
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] !== '`') {
      name += source[i];
    } else if (source[i + 1] === '`') {
      name += '`';
      i++;
    } else {
      if (name === '') throw new ExpressionError('empty column name', start, i + 1 - start);
      return token('quoted', source, start, i + 1, name);
    }
  }
  throw new ExpressionError('unterminated quoted column name', start, source.length - start);
}
