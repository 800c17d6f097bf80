/**
 * The one error the expression compiler throws. `message` says what is wrong (and, when useful, a hint in
 * parentheses such as the available columns); it does not repeat the position, which callers show themselves
 * from `position` (0-based character index into the source) and `length` (characters covered, 0 at the end).
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    readonly position: number,
    readonly length: number,
  ) {
    super(message);
  }

  /** The source with a caret line under the offending characters, for terminals. */
  pointer(source: string): string {
    return `${source}\n${' '.repeat(this.position)}${'^'.repeat(Math.max(1, this.length))}`;
  }
}
