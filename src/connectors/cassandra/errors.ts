/**
 * What cassandra-driver throws, turned into decisions (retry or not) and into messages that say what happened,
 * where, and what to do. Read from the driver (4.x) and Cassandra 5.0:
 *
 *   connect, nothing listening   NoHostAvailableError "All host(s) tried ..." innerErrors { '127.0.0.1:9042': ECONNREFUSED }
 *   connect, host does not resolve  NoHostAvailableError "No host could be resolved", innerErrors {}
 *   wrong user or password       NoHostAvailableError, innerErrors { host: AuthenticationError "Provided username ... are incorrect" }
 *   no credentials, auth needed  NoHostAvailableError, innerErrors { host: AuthenticationError "... requires authentication ..." }
 *   node down mid-run            NoHostAvailableError (host DOWN / connection closed), or a socket error on in-flight requests
 *   request took too long        OperationTimedOutError (the client's readTimeout)
 *   server-side                  ResponseError with a code: writeTimeout, readTimeout, unavailableException, overloaded,
 *                                isBootstrapping (retriable); invalid ("table x does not exist"), unauthorized, syntaxError
 *
 * Messages never contain the password: the driver's texts name the user at most, and every message also goes
 * through the redactor on its way out.
 */
import cassandra from 'cassandra-driver';
import { errorMessage, isNetworkErrorCode } from '../../core/errors.js';

const { errors, types } = cassandra;
const codes = types.responseErrorCodes;

/** Server answers that another attempt may fix: the request did not fail for what it is. */
const RETRIABLE_CODES = new Set<number>([
  codes.writeTimeout,
  codes.readTimeout,
  codes.unavailableException,
  codes.overloaded,
  codes.isBootstrapping,
  codes.serverError,
]);

export function isAuthenticationFailure(error: unknown): boolean {
  if (error instanceof errors.AuthenticationError) return true;
  if (error instanceof errors.ResponseError && error.code === codes.badCredentials) return true;
  return error instanceof errors.NoHostAvailableError && innerErrors(error).some(isAuthenticationFailure);
}

/**
 * Worth another attempt: nothing reachable (a node restarting), timeouts, an overloaded or unavailable cluster.
 * Writes are INSERTs of whole rows with values fixed before the first attempt, so running one twice is harmless.
 */
export function isRetriable(error: unknown): boolean {
  if (isAuthenticationFailure(error)) return false;
  if (error instanceof errors.NoHostAvailableError) return true;
  if (error instanceof errors.OperationTimedOutError || error instanceof errors.BusyConnectionError) return true;
  if (error instanceof errors.ResponseError) return RETRIABLE_CODES.has(error.code);
  // Sockets closed under an in-flight request (the node went away): the driver marks them isSocketError.
  if ((error as { isSocketError?: boolean } | undefined)?.isSocketError === true) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return isNetworkErrorCode(code);
}

function innerErrors(error: InstanceType<typeof errors.NoHostAvailableError>): unknown[] {
  return Object.values(error.innerErrors ?? {});
}

/** The first line of an error's text: the driver pastes whole inspected errors (with stacks) into its messages. */
function firstLine(error: unknown): string {
  return errorMessage(error)
    .split('\n')[0]
    .replace(/\. See innerErrors\.$/, '');
}

/** A short reason for a log line: per host for NoHostAvailableError, else the first line of the message. */
export function shortReason(error: unknown): string {
  if (error instanceof errors.NoHostAvailableError) {
    const inner = Object.entries(error.innerErrors ?? {});
    if (inner.length > 0) return inner.map(([host, e]) => `${host}: ${firstLine(e)}`).join('; ');
  }
  return firstLine(error);
}

/** Where the client points: `Cassandra at 127.0.0.1:9042` (every contact point). */
export function describeCluster(contactPoints: readonly string[]): string {
  return `Cassandra at ${contactPoints.join(', ')}`;
}

/**
 * One sentence (or two) for an error while connecting: what happened, where, and what to do.
 * `user` is named when authentication failed; the password never is.
 */
export function describeConnectError(error: unknown, contactPoints: readonly string[], user: string | undefined): string {
  const at = describeCluster(contactPoints);
  if (isAuthenticationFailure(error)) {
    const said = authenticationText(error);
    if (/requires authentication|no authenticator/i.test(said)) {
      return `${at} requires a user name and password (its authenticator said: ${said}); set username and password (CASSANDRA_USERNAME, CASSANDRA_PASSWORD)`;
    }
    return `${at} refused the credentials of user '${user ?? ''}' (${said}); check username and password (CASSANDRA_USERNAME, CASSANDRA_PASSWORD)`;
  }
  if (error instanceof errors.NoHostAvailableError) {
    const inner = Object.entries(error.innerErrors ?? {});
    if (inner.length === 0) return `cannot reach ${at}: ${firstLine(error)}; check contactPoints (host names must resolve)`;
    const reasons = inner.map(([host, e]) => `${host}: ${firstLine(e)}`).join('; ');
    const refused = inner.some(([, e]) => (e as NodeJS.ErrnoException)?.code === 'ECONNREFUSED');
    return `cannot reach ${at} (${reasons})${refused ? '; is Cassandra running and listening on that port (native_transport_port, default 9042)?' : ''}`;
  }
  if (error instanceof errors.ArgumentError && /localDataCenter|data center/i.test(error.message)) {
    return `${at}: ${firstLine(error)}; set localDataCenter to the data center nodetool status shows`;
  }
  return `${at}: ${firstLine(error)}`;
}

function authenticationText(error: unknown): string {
  if (error instanceof errors.NoHostAvailableError) {
    const auth = innerErrors(error).find(isAuthenticationFailure);
    return auth ? authenticationText(auth) : firstLine(error);
  }
  return firstLine(error);
}

/** A failed write or read, after retries: what the cluster said and what to do about it. */
export function describeRequestError(error: unknown, contactPoints: readonly string[], user: string | undefined): string {
  const at = describeCluster(contactPoints);
  if (isAuthenticationFailure(error) || error instanceof errors.NoHostAvailableError)
    return describeConnectError(error, contactPoints, user);
  if (error instanceof errors.OperationTimedOutError)
    return `${at} did not answer in time (${firstLine(error)}); raise timeout, or lower concurrency`;
  if (error instanceof errors.ResponseError) {
    const said = firstLine(error);
    switch (error.code) {
      case codes.writeTimeout:
      case codes.readTimeout:
        return `${at}: the replicas did not answer in time (${said}); the cluster is overloaded: lower concurrency, or use a lower consistency`;
      case codes.unavailableException:
        return `${at}: not enough replicas are alive for the consistency level (${said}); start the missing nodes or lower consistency`;
      case codes.overloaded:
        return `${at} is overloaded (${said}); lower concurrency`;
      case codes.unauthorized:
        return `${at}: user '${user ?? ''}' may not do this (${said}); GRANT it MODIFY (writes) or SELECT (reads) on the keyspace`;
      default:
        return `${at} refused the request: ${said}`;
    }
  }
  return `${at}: ${firstLine(error)}`;
}
