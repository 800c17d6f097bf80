/**
 * A failure the user can act on: printed as "what happened" plus "what to do", without a stack trace.
 * Anything else that is thrown is a bug in these scripts and keeps its stack.
 */
export class SetupError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SetupError';
  }
}
