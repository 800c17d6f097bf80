/**
 * @platformatic/kafka reports one failure as a tree: a MultipleErrors ("Cannot connect to any broker.") holding one
 * NetworkError per broker, whose `cause` is the socket error or an AuthenticationError, whose `cause` is the broker's
 * ResponseError holding ProtocolErrors (`apiId`, the broker error's name, and `serverErrorMessage`). These helpers flatten that tree so the
 * error line can name the real reason, whatever depth it sits at.
 */

/** What one node of the tree carries that matters for the message. */
export interface ErrorNode {
  name: string;
  message: string;
  /** The library's code (PLT_KFK_NETWORK, PLT_KFK_AUTHENTICATION) or the socket's (ECONNREFUSED, ENOTFOUND). */
  code?: string;
  /** A broker error's name (SASL_AUTHENTICATION_FAILED, UNKNOWN_TOPIC_OR_PARTITION); the client's `apiCode` is its number. */
  apiId?: string;
  /** The broker's own words, when it sent any. */
  serverErrorMessage?: string;
  canRetry?: boolean;
}

function node(error: unknown): ErrorNode {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const e = error as Error & Partial<Record<'code' | 'apiId' | 'serverErrorMessage', unknown>> & { canRetry?: unknown };
  return {
    name: e.name,
    message: e.message,
    code: typeof e.code === 'string' ? e.code : undefined,
    apiId: typeof e.apiId === 'string' ? e.apiId : undefined,
    serverErrorMessage: typeof e.serverErrorMessage === 'string' && e.serverErrorMessage ? e.serverErrorMessage : undefined,
    canRetry: typeof e.canRetry === 'boolean' ? e.canRetry : undefined,
  };
}

/** Every error in the tree, the outermost first (depth-first through `errors` and `cause`). */
export function errorNodes(error: unknown, depth = 0): ErrorNode[] {
  if (depth > 8 || error === undefined || error === null) return [];
  const nodes = [node(error)];
  if (error instanceof AggregateError) for (const inner of error.errors) nodes.push(...errorNodes(inner, depth + 1));
  if (error instanceof Error && error.cause !== undefined) nodes.push(...errorNodes(error.cause, depth + 1));
  return nodes;
}
