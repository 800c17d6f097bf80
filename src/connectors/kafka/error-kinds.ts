/** What kind of failure a node of @platformatic/kafka's error tree (error-tree.ts) is: for the error line and for retries. */
import type { ErrorNode } from './error-tree.js';

export const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is Kafka running there, and is bootstrapServers right?',
  ENOTFOUND: 'host not found: check the host names in bootstrapServers',
  EAI_AGAIN: 'host name lookup failed: check the host names in bootstrapServers',
  ECONNRESET: 'the broker reset the connection',
  EHOSTUNREACH: 'host unreachable',
};

export const isAuthFailure = (n: ErrorNode) => n.code === 'PLT_KFK_AUTHENTICATION' || n.apiId === 'SASL_AUTHENTICATION_FAILED';
export const isAuthorizationFailure = (n: ErrorNode) => n.apiId?.endsWith('_AUTHORIZATION_FAILED') === true;
export const isTimeout = (n: ErrorNode) => n.name === 'TimeoutError' || n.code === 'ETIMEDOUT' || /timed out/i.test(n.message);
