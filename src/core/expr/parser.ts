/**
 * Precedence-climbing (Pratt) parser: tokens -> AST. Every node keeps its source span [pos, end); operators also
 * keep the span of the operator itself, so type errors can point at the `+` rather than the whole expression.
 */
import { ExpressionError } from './errors.js';
import { tokenize, type Token } from './lexer.js';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '<=>';
export type BinaryOp = ArithmeticOp | ComparisonOp | 'and' | 'or';

interface Span {
  pos: number;
  end: number;
}
/** The operator as written (`<>`, `&&`, `AND`...) and where. */
interface OpSpan {
  opText: string;
  opPos: number;
  opEnd: number;
}

export type Node =
  | (Span & { kind: 'literal'; value: string | number | boolean | null; integer: boolean })
  | (Span & { kind: 'column'; name: string })
  | (Span & { kind: 'field'; object: Node; name: string; namePos: number })
  | (Span & OpSpan & { kind: 'unary'; op: '-' | '+' | 'not'; operand: Node })
  | (Span & OpSpan & { kind: 'binary'; op: BinaryOp; left: Node; right: Node })
  | (Span & OpSpan & { kind: 'in'; value: Node; items: Node[]; negated: boolean })
  | (Span & OpSpan & { kind: 'isnull'; value: Node; negated: boolean })
  | (Span & { kind: 'call'; name: string; nameEnd: number; args: Node[] });

/** Binding powers, loosest first, as in Spark SQL's grammar. */
export const PRECEDENCE = { or: 1, and: 2, not: 3, comparison: 4, additive: 5, multiplicative: 6, unary: 7 } as const;

const BINARY: Record<string, { op: BinaryOp; prec: number }> = {
  or: { op: 'or', prec: PRECEDENCE.or },
  '||': { op: 'or', prec: PRECEDENCE.or },
  and: { op: 'and', prec: PRECEDENCE.and },
  '&&': { op: 'and', prec: PRECEDENCE.and },
  '==': { op: '==', prec: PRECEDENCE.comparison },
  '=': { op: '==', prec: PRECEDENCE.comparison },
  '!=': { op: '!=', prec: PRECEDENCE.comparison },
  '<>': { op: '!=', prec: PRECEDENCE.comparison },
  '<': { op: '<', prec: PRECEDENCE.comparison },
  '<=': { op: '<=', prec: PRECEDENCE.comparison },
  '>': { op: '>', prec: PRECEDENCE.comparison },
  '>=': { op: '>=', prec: PRECEDENCE.comparison },
  '<=>': { op: '<=>', prec: PRECEDENCE.comparison },
  '+': { op: '+', prec: PRECEDENCE.additive },
  '-': { op: '-', prec: PRECEDENCE.additive },
  '*': { op: '*', prec: PRECEDENCE.multiplicative },
  '/': { op: '/', prec: PRECEDENCE.multiplicative },
  '%': { op: '%', prec: PRECEDENCE.multiplicative },
};
/** Deeper nesting is an error rather than a stack overflow. */
const MAX_DEPTH = 200;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false']);

export function parse(source: string): Node {
  return new Parser(tokenize(source)).parseAll();
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): Node {
    const node = this.expression(0);
    const t = this.peek();
    if (t.kind !== 'eof') throw new ExpressionError(`unexpected ${describe(t)} after the end of the expression`, t.pos, t.end - t.pos);
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.value === op;
  }
  private isKeyword(t: Token, word: string): boolean {
    return t.kind === 'ident' && (t.value as string).toLowerCase() === word;
  }
  private expect(op: string): Token {
    const t = this.next();
    if (!this.isOp(t, op)) throw new ExpressionError(`expected '${op}' but found ${describe(t)}`, t.pos, t.end - t.pos);
    return t;
  }

  private expression(minPrec: number): Node {
    if (++this.depth > MAX_DEPTH) {
      const t = this.peek();
      throw new ExpressionError(`expression nested more than ${MAX_DEPTH} levels deep`, t.pos, t.end - t.pos);
    }
    try {
      return this.climb(minPrec);
    } finally {
      this.depth--;
    }
  }

  private climb(minPrec: number): Node {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      const word = t.kind === 'ident' ? (t.value as string).toLowerCase() : t.kind === 'op' ? (t.value as string) : '';
      const negatedIn = word === 'not' && this.isKeyword(this.peek(1), 'in');
      if (word === 'in' || negatedIn || word === 'is') {
        if (PRECEDENCE.comparison < minPrec) return left;
        left = word === 'is' ? this.isNull(left) : this.inList(left, negatedIn);
        continue;
      }
      const info = Object.hasOwn(BINARY, word) && t.kind !== 'eof' ? BINARY[word] : undefined;
      if (!info || info.prec < minPrec) return left;
      this.next();
      const right = this.expression(info.prec + 1);
      left = { kind: 'binary', op: info.op, left, right, pos: left.pos, end: right.end, opText: t.text, opPos: t.pos, opEnd: t.end };
    }
  }

  private inList(value: Node, negated: boolean): Node {
    const first = this.next();
    const last = negated ? this.next() : first;
    this.expect('(');
    const items = [this.expression(0)];
    while (this.isOp(this.peek(), ',')) {
      this.next();
      items.push(this.expression(0));
    }
    const close = this.expect(')');
    return {
      kind: 'in',
      value,
      items,
      negated,
      pos: value.pos,
      end: close.end,
      opText: negated ? 'not in' : 'in',
      opPos: first.pos,
      opEnd: last.end,
    };
  }

  private isNull(value: Node): Node {
    const is = this.next();
    const negated = this.isKeyword(this.peek(), 'not');
    if (negated) this.next();
    const t = this.next();
    if (!this.isKeyword(t, 'null')) throw new ExpressionError(`expected 'null' after 'is' but found ${describe(t)}`, t.pos, t.end - t.pos);
    return {
      kind: 'isnull',
      value,
      negated,
      pos: value.pos,
      end: t.end,
      opText: negated ? 'is not null' : 'is null',
      opPos: is.pos,
      opEnd: t.end,
    };
  }

  private prefix(): Node {
    const t = this.next();
    const span = { pos: t.pos, end: t.end };
    if (t.kind === 'number') return this.postfix({ kind: 'literal', value: t.value, integer: t.integer, ...span });
    if (t.kind === 'string') return this.postfix({ kind: 'literal', value: t.value, integer: false, ...span });
    if (t.kind === 'quoted') return this.postfix({ kind: 'column', name: t.value as string, ...span });
    if (t.kind === 'ident') {
      const word = (t.value as string).toLowerCase();
      if (word === 'true' || word === 'false') return this.postfix({ kind: 'literal', value: word === 'true', integer: false, ...span });
      if (word === 'null') return this.postfix({ kind: 'literal', value: null, integer: false, ...span });
      if (word === 'not') return this.unary('not', t, PRECEDENCE.not);
      if (KEYWORDS.has(word)) throw new ExpressionError(`expected an expression but found ${describe(t)}`, t.pos, t.end - t.pos);
      if (this.isOp(this.peek(), '(')) return this.postfix(this.call(t));
      return this.postfix({ kind: 'column', name: t.value as string, ...span });
    }
    if (this.isOp(t, '-') || this.isOp(t, '+')) return this.unary(t.value as '-' | '+', t, PRECEDENCE.unary);
    if (this.isOp(t, '!')) return this.unary('not', t, PRECEDENCE.not);
    if (this.isOp(t, '(')) {
      const inner = this.expression(0);
      const close = this.expect(')');
      return this.postfix({ ...inner, pos: t.pos, end: close.end });
    }
    throw new ExpressionError(`expected an expression but found ${describe(t)}`, t.pos, t.end - t.pos);
  }

  private unary(op: '-' | '+' | 'not', t: Token, prec: number): Node {
    const operand = this.expression(prec);
    return { kind: 'unary', op, operand, pos: t.pos, end: operand.end, opText: t.text, opPos: t.pos, opEnd: t.end };
  }

  private call(name: Token): Node {
    this.next(); // (
    const args: Node[] = [];
    if (!this.isOp(this.peek(), ')')) {
      args.push(this.expression(0));
      while (this.isOp(this.peek(), ',')) {
        this.next();
        args.push(this.expression(0));
      }
    }
    const close = this.expect(')');
    return { kind: 'call', name: name.value as string, nameEnd: name.end, args, pos: name.pos, end: close.end };
  }

  /** `a.b.c`: field access on struct values, binding tighter than anything else. */
  private postfix(node: Node): Node {
    while (this.isOp(this.peek(), '.')) {
      this.next();
      const t = this.next();
      if (t.kind !== 'ident' && t.kind !== 'quoted')
        throw new ExpressionError(`expected a field name after '.' but found ${describe(t)}`, t.pos, t.end - t.pos);
      node = { kind: 'field', object: node, name: t.value as string, namePos: t.pos, pos: node.pos, end: t.end };
    }
    return node;
  }
}

function describe(t: Token): string {
  return t.kind === 'eof' ? 'the end of the expression' : `'${t.text}'`;
}
