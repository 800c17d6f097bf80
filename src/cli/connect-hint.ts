import { isNetworkErrorCode } from '../core/errors.js';

/**
 * What to do about a connection that `validate --connect` could not make: the component's message names the
 * address; this says how to get a server there. Undefined when the error is not about reaching a server.
 */
export function connectHint(error: unknown): string | undefined {
  const code = networkErrorCode(error);
  if (code === 'ENOTFOUND') return 'the host name does not resolve: check the address in the job or its profile (config/)';
  if (!isNetworkErrorCode(code)) return undefined;
  return (
    `no server answers there (${code}): start it (the local servers: \`npm run services -- up\`, docs/servers.md; ` +
    "with Docker: `docker compose up -d`), or point the job's profile (config/) at a running one"
  );
}

/**
 * The first Node network code in an error or what it wraps: `cause` (our RuntimeErrors), `errors` (Node's
 * AggregateError when localhost has two addresses), `innerErrors` (the Cassandra driver's, by host).
 */
function networkErrorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown; innerErrors?: unknown };
  if (typeof e.code === 'string' && (e.code === 'ENOTFOUND' || isNetworkErrorCode(e.code))) return e.code;
  const inner = [e.cause, ...(Array.isArray(e.errors) ? e.errors : []), ...Object.values(e.innerErrors ?? {})];
  for (const candidate of inner) {
    const code = networkErrorCode(candidate, depth + 1);
    if (code) return code;
  }
  return undefined;
}
